// Element-wise activations (see activations.h).
#include "kernels/ops/activations.h"

#include <cmath>

namespace hako::ops {

void swiglu(ConstRowsF32 gate, ConstRowsF32 up, RowsF32 y) noexcept {
  for (int64_t r = 0; r < y.n_rows; ++r) {
    const float* g = gate.row(r);
    const float* u = up.row(r);
    float* o = y.row(r);
    for (int64_t i = 0; i < y.n_cols; ++i) {
      const float gi = g[i];
      o[i] = gi / (1.0f + std::exp(-gi)) * u[i];
    }
  }
}

void add(ConstRowsF32 a, ConstRowsF32 b, RowsF32 y) noexcept {
  for (int64_t r = 0; r < y.n_rows; ++r) {
    const float* ar = a.row(r);
    const float* br = b.row(r);
    float* o = y.row(r);
    for (int64_t i = 0; i < y.n_cols; ++i) o[i] = ar[i] + br[i];
  }
}

void add_bias(const float* bias, RowsF32 y) noexcept {
  for (int64_t r = 0; r < y.n_rows; ++r) {
    float* o = y.row(r);
    for (int64_t i = 0; i < y.n_cols; ++i) o[i] += bias[i];
  }
}

void scale(float s, RowsF32 y) noexcept {
  for (int64_t r = 0; r < y.n_rows; ++r) {
    float* o = y.row(r);
    for (int64_t i = 0; i < y.n_cols; ++i) o[i] *= s;
  }
}

}  // namespace hako::ops
