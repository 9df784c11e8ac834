// Norm: an RMS-norm weight vector, and the layer call that applies it.
#pragma once

#include <cstdint>

#include "kernels/ops/rows.h"
#include "model/layers/forward_args.h"
#include "model/weight_binder.h"

namespace hako::model::layers {

struct Norm {
  const float* w = nullptr;  // [n] f32 weights (mmap'd)
  int64_t n = 0;
};

// Binds the f32 norm vector of `role` in layer il (-1: global), n floats.
Norm bind_norm(WeightBinder& b, TensorRole role, int32_t il, int64_t n);

// y = rms_norm(x) * norm.w, row by row (y may alias x).
void rms_norm(ops::ConstRowsF32 x, const Norm& norm, float eps, ops::RowsF32 y) noexcept;

// The batch's norm input: ws.xn = rms_norm(ws.x) * norm.w for the batch's
// tokens, rows split over fa.pool (layers/row_split.h).
void norm_batch(const ForwardArgs& fa, const Norm& norm, float eps) noexcept;

}  // namespace hako::model::layers
