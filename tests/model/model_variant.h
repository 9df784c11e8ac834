// Writes a copy of a reference model with edits (metadata changed, tensors
// dropped, reshaped, retyped or added), for tests of the loader and of
// architectures without reference data.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gguf/gguf_writer.h"

namespace hako::test {

// Changes a copied tensor in place; returns false to drop it.
using TensorEdit = std::function<bool(gguf::TensorSpec& spec, std::vector<uint8_t>& data)>;
using MetaEdit = std::function<void(gguf::GgufWriter& w)>;

struct ExtraTensor {
  gguf::TensorSpec spec;
  std::vector<uint8_t> data;  // storage bytes of spec
};

struct VariantEdits {
  MetaEdit meta;                   // may be empty
  TensorEdit tensor;               // may be empty
  std::vector<ExtraTensor> extra;  // appended after the copied tensors
};

// Copies testdata/reference/<folder>/model.gguf with `edits` to `out_path`.
void write_variant(const std::string& folder, const VariantEdits& edits, const std::string& out_path);

// A unique temporary file path that is removed when the object dies.
class TempPath {
 public:
  explicit TempPath(const std::string& stem);
  ~TempPath();
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& str() const { return path_; }

 private:
  std::string path_;
};

}  // namespace hako::test
