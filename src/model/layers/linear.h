// Linear layers: a weight matrix (any supported ggml type, usually a view
// into the mmap'd GGUF) with an optional f32 bias, and LinearInput, an f32
// input that is converted to a weight type's activation format once and then
// reused by every linear layer reading it with that type (Q/K/V, gate/up).
// All calls are noexcept and allocation-free: buffers come from the planned
// Workspace.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>

#include "base/error.h"
#include "kernels/matmul.h"
#include "kernels/ops/rows.h"
#include "model/weight_binder.h"
#include "tensor/tensor_view.h"

namespace hako::model::layers {

struct Linear {
  TensorView w;                  // ne = {n_in, n_out}
  const float* bias = nullptr;   // [n_out], or nullptr: no bias

  int64_t n_in() const { return w.ne[0]; }
  int64_t n_out() const { return w.n_rows(); }
};

// Rows [first, first + n) of matrix w as a matrix of its own (fused QKV and
// gate/up tensors are bound as such views). For an x8 matrix, first and n
// must be multiples of 8 (bind such tensors with slice_relayout()).
TensorView row_slice(const TensorView& w, int64_t first, int64_t n);

// Relayout::kAllowed if every cut row is a multiple of 8, else kNever.
Relayout slice_relayout(std::initializer_list<int64_t> cuts);

// How activations are rounded to q8 codes before quantized matmuls:
// llama.cpp's x86 rounding, which the reference logits were produced with.
inline constexpr ActRounding kActRounding = ActRounding::kLlamaX86;

class LinearInput {
 public:
  // x: contiguous rows (stride == n_cols), valid while this object is used.
  // buf: the workspace's activation buffer (big enough for every weight of
  // the model at this many rows); shared, so only one LinearInput may be
  // live at a time.
  LinearInput(ops::ConstRowsF32 x, std::span<uint8_t> buf, ThreadPool& pool)
      : x_(x), buf_(buf), pool_(pool) {
    HAKO_DASSERT(x.stride == x.n_cols);
  }

  // x converted for weights of `weight_type`; converts on first use per type.
  const QuantizedActs& for_weight(GgmlType weight_type) noexcept;
  int64_t n_rows() const { return x_.n_rows; }

 private:
  ops::ConstRowsF32 x_;
  std::span<uint8_t> buf_;
  ThreadPool& pool_;
  bool valid_ = false;
  GgmlType type_ = GgmlType::F32;
  QuantizedActs acts_;
};

// y[t] = W x[t] (+ bias) for every row of `in`; y: [n_rows][n_out] (any stride).
void linear(const Linear& l, LinearInput& in, ops::RowsF32 y, ThreadPool& pool) noexcept;

// Bytes of activation buffer a linear layer over `n_rows` rows needs.
size_t linear_input_bytes(const TensorView& w, int64_t n_rows);

}  // namespace hako::model::layers
