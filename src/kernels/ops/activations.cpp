// Element-wise activations (see activations.h).
#include "kernels/ops/activations.h"

#include <bit>
#include <cmath>

namespace hako::ops {
namespace {

// e^v within ~1.2 ulp, as branch-free arithmetic the compiler vectorizes
// (a libm expf call per element cost ~4% of prefill). v = n ln2 + r with
// |r| <= ln2/2: n is rounded by adding 1.5 * 2^23, whose low mantissa bits
// then hold n as an integer (no float-to-int conversion, which is undefined
// out of range); ln2 comes in two parts so n * ln2_hi is exact; e^r is its
// degree-7 Taylor polynomial (truncation < 0.1 ulp); 2^n goes into the
// exponent bits. n outside the normal range gives 0 (n < -126) or +inf
// (n > 127, also for NaN; silu's x / (1 + e^-x) then still propagates NaN).
// The range tests are integer compares: float compares keep GCC from
// vectorizing under the default -ftrapping-math.
inline float exp_vec(float v) {
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23
  const float t = v * 1.44269504f + kRound;
  const float n = t - kRound;
  const auto ni = static_cast<int32_t>(std::bit_cast<uint32_t>(t) - std::bit_cast<uint32_t>(kRound));
  const float r = (v - n * 0.693145751953125f) - n * 1.42860677e-06f;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t lo = -static_cast<int32_t>(ni < -126), hi = -static_cast<int32_t>(ni > 127);  // all-ones masks
  const int32_t keep = ~(lo | hi);
  const auto bits = std::bit_cast<int32_t>(p * std::bit_cast<float>(((ni & keep) + 127) << 23));
  return std::bit_cast<float>((bits & keep) | (hi & 0x7f800000));
}

}  // namespace

void swiglu(ConstRowsF32 gate, ConstRowsF32 up, RowsF32 y) noexcept {
  for (int64_t r = 0; r < y.n_rows; ++r) {
    const float* g = gate.row(r);
    const float* u = up.row(r);
    float* o = y.row(r);
    for (int64_t i = 0; i < y.n_cols; ++i) {
      const float gi = g[i];
      o[i] = gi / (1.0f + exp_vec(-gi)) * u[i];
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
