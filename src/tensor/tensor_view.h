// TensorView: a non-owning view of a tensor (type, shape, data). Shapes use
// ggml order: ne[0] is the innermost (contiguous) dimension, so a weight
// matrix W of n_out rows by n_in columns has ne = {n_in, n_out}. Rows are
// contiguous and row_bytes(type, ne[0]) apart.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "tensor/ggml_type.h"

namespace hako {

inline constexpr int kMaxDims = 4;

// How the rows of a tensor are laid out in memory.
enum class RowLayout : uint8_t {
  kRows,  // as in GGUF: row after row
  kX8,    // groups of 8 rows interleaved block column by block column (quant/interleave.h)
};

struct TensorView {
  GgmlType type = GgmlType::F32;
  std::array<int64_t, kMaxDims> ne = {1, 1, 1, 1};  // elements per dimension
  int n_dims = 0;
  const void* data = nullptr;  // owned elsewhere (mmap or an arena)
  std::string_view name;       // points into the GGUF mapping or a static string
  RowLayout layout = RowLayout::kRows;

  int64_t n_elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
  int64_t n_rows() const { return ne[1] * ne[2] * ne[3]; }
  uint64_t row_size() const { return row_bytes(type, static_cast<uint64_t>(ne[0])); }
  uint64_t n_bytes() const { return row_size() * static_cast<uint64_t>(n_rows()); }
  const uint8_t* row(int64_t i) const {
    return static_cast<const uint8_t*>(data) + static_cast<uint64_t>(i) * row_size();
  }
  bool valid() const { return data != nullptr; }
};

}  // namespace hako
