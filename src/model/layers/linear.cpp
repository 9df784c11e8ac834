// Linear layers (see linear.h).
#include "model/layers/linear.h"

#include "base/error.h"
#include "kernels/ops/activations.h"
#include "quant/interleave.h"

namespace hako::model::layers {

TensorView row_slice(const TensorView& w, int64_t first, int64_t n) {
  HAKO_ASSERT(first >= 0 && n >= 0 && first + n <= w.n_rows());
  HAKO_ASSERT(w.layout == RowLayout::kRows || (first % kX8Rows == 0 && n % kX8Rows == 0));
  TensorView v = w;
  v.ne = {w.ne[0], n, 1, 1};
  v.n_dims = 2;
  v.data = w.row(first);
  return v;
}

Relayout slice_relayout(std::initializer_list<int64_t> cuts) {
  for (int64_t c : cuts) {
    if (c % kX8Rows != 0) return Relayout::kNever;
  }
  return Relayout::kAllowed;
}

const QuantizedActs& LinearInput::for_weight(GgmlType weight_type) noexcept {
  if (!valid_ || type_ != weight_type) {
    const ActsShape shape{.weight_type = weight_type,
                          .n_in = x_.n_cols,
                          .n_tok = x_.n_rows,
                          .rounding = kActRounding};
    HAKO_DASSERT(quantize_acts_bytes(shape) <= buf_.size());
    acts_ = quantize_acts(shape, x_.data, buf_.data(), pool_);
    type_ = weight_type;
    valid_ = true;
  }
  return acts_;
}

void linear(const Linear& l, LinearInput& in, ops::RowsF32 y, ThreadPool& pool) noexcept {
  const QuantizedActs& acts = in.for_weight(l.w.type);
  matmul(l.w, acts, MatmulOut{.y = y.data, .y_stride = y.stride}, pool);
  if (l.bias != nullptr) ops::add_bias(l.bias, y);
}

size_t linear_input_bytes(const TensorView& w, int64_t n_rows) {
  return quantize_acts_bytes(ActsShape{
      .weight_type = w.type, .n_in = w.ne[0], .n_tok = n_rows, .rounding = kActRounding});
}

}  // namespace hako::model::layers
