// RMS normalisation of rows, computed the way ggml's CPU backend does it
// (sum of squares in double, scale = 1/sqrtf(mean + eps) in float, then
// x*scale*w), so hako's activations match llama.cpp's to the last bit in the
// common case. Single-threaded over the rows it is given; no allocation.
#pragma once

#include "kernels/ops/rows.h"

namespace hako::ops {

// y[r][i] = (x[r][i] * s_r) * weight[i], s_r = 1/sqrt(mean_i(x[r][i]^2) + eps).
// weight: x.n_cols floats, or nullptr for no weight. y may alias x (in
// place); y.n_rows/n_cols must equal x's.
void rms_norm(ConstRowsF32 x, const float* weight, float eps, RowsF32 y) noexcept;

}  // namespace hako::ops
