// LoadedModel: a GGUF file mapped into memory together with the
// architecture built over it (whose weights are views into the mapping).
// load_model() is the whole loading pipeline: open and validate the file,
// look up the architecture, read and validate the hyper-parameters, bind and
// check every tensor. Nothing is allocated beyond the per-layer weight
// tables before all of that succeeded.
#pragma once

#include <memory>
#include <string>

#include "gguf/gguf_file.h"
#include "model/arch_model.h"
#include "model/weight_store.h"

namespace hako::model {

struct LoadedModel {
  gguf::GgufFile file;
  std::unique_ptr<WeightStore> store;  // re-laid-out weights; before arch, which views them
  std::unique_ptr<ArchModel> arch;
};

// Throws Error with a one-line message naming the file and the problem.
std::unique_ptr<LoadedModel> load_model(const std::string& path,
                                        WeightLayoutPolicy policy = WeightLayoutPolicy::kFastest);

// The same from an already-open file (tests, fuzzing).
std::unique_ptr<LoadedModel> load_model(gguf::GgufFile file,
                                        WeightLayoutPolicy policy = WeightLayoutPolicy::kFastest);

}  // namespace hako::model
