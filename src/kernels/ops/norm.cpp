// RMS norm (see norm.h): one pass for the sum of squares, one for the scale.
#include "kernels/ops/norm.h"

#include <cmath>

namespace hako::ops {

void rms_norm(ConstRowsF32 x, const float* weight, float eps, RowsF32 y) noexcept {
  const int64_t n = x.n_cols;
  for (int64_t r = 0; r < x.n_rows; ++r) {
    const float* xr = x.row(r);
    float* yr = y.row(r);
    // ggml sums float products in double, in order.
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(xr[i] * xr[i]);
    const float mean = static_cast<float>(sum / static_cast<double>(n));
    const float scale = 1.0f / std::sqrt(mean + eps);
    if (weight != nullptr) {
      for (int64_t i = 0; i < n; ++i) yr[i] = (xr[i] * scale) * weight[i];
    } else {
      for (int64_t i = 0; i < n; ++i) yr[i] = xr[i] * scale;
    }
  }
}

}  // namespace hako::ops
