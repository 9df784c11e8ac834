// The architecture registry: general.architecture -> build function. Adding
// an architecture is one file in arch/ and one line in arch_registry.cpp.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "model/arch_model.h"

namespace hako::gguf {
class GgufFile;
}

namespace hako::model {

// Builds the architecture over `file`, taking every tensor through `b`.
using BuildFn = std::unique_ptr<ArchModel> (*)(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b);

struct ArchEntry {
  std::string_view name;  // general.architecture
  BuildFn build;
};

// All supported architectures, sorted by name.
std::span<const ArchEntry> arch_registry();
// "llama, phi3, qwen2, qwen3"
std::string supported_arch_list();
// The entry for `name`; throws Error(kUnsupported)
// "unsupported architecture 'x' (supported: llama, phi3, qwen2, qwen3)".
const ArchEntry& find_arch_or_throw(std::string_view name);

}  // namespace hako::model
