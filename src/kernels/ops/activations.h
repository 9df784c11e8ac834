// Element-wise activations and vector arithmetic on float rows: SwiGLU,
// SiLU, add, scale. Plain loops the compiler vectorizes; the formulas are
// ggml's (silu(x) = x / (1 + e^-x)), with e^-x from a branch-free
// polynomial within ~1.2 ulp of expf (as ggml's own vectorized SiLU uses
// an approximation). No allocation.
#pragma once

#include <cstdint>

#include "kernels/ops/rows.h"

namespace hako::ops {

// y[r][i] = silu(gate[r][i]) * up[r][i]. All three views have equal shape;
// y may alias gate or up.
void swiglu(ConstRowsF32 gate, ConstRowsF32 up, RowsF32 y) noexcept;

// y[r][i] = a[r][i] + b[r][i]; y may alias a or b.
void add(ConstRowsF32 a, ConstRowsF32 b, RowsF32 y) noexcept;

// y[r][i] += bias[i] for every row (bias: y.n_cols floats).
void add_bias(const float* bias, RowsF32 y) noexcept;

// y[r][i] *= s.
void scale(float s, RowsF32 y) noexcept;

}  // namespace hako::ops
