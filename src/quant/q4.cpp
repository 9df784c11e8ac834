// q4_0 and q4_1: 32-element blocks of 4-bit codes with an f16 scale (q4_0:
// symmetric around 8) or an f16 scale and min (q4_1). Holds the reference
// quantize (bit-identical to ggml's quantize_row_q4_{0,1}_ref, which is what
// llama-quantize writes when no imatrix is given), dequantize, and the scalar
// dot products with q8_0 / q8_1 (ggml's generic vec_dot). Not here: SIMD.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "quant/blocks.h"
#include "quant/formats.h"
#include "quant/rounding.h"

namespace hako {

using quant_detail::trunc_to_int;

void quantize_row_q4_0_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ4_0*>(dst);
  constexpr int kQk = BlockQ4_0::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    // The signed value of largest magnitude (first one wins ties) maps to -8.
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < kQk; ++j) {
      if (amax < std::fabs(x[j])) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    const float d = max / -8;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;  // from the unrounded d
    y[i].d = f32_to_f16(d);
    for (int j = 0; j < kQk / 2; ++j) {
      // Truncation of v*id + 8.5 (i.e. round half up), clamped to 15.
      const int q0 = std::min(15, trunc_to_int(x[j] * id + 8.5f));
      const int q1 = std::min(15, trunc_to_int(x[j + kQk / 2] * id + 8.5f));
      y[i].qs[j] = static_cast<uint8_t>((q0 & 0xF) | (q1 << 4));
    }
  }
}

void dequantize_row_q4_0(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ4_0*>(src);
  constexpr int kQk = BlockQ4_0::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = f16_to_f32(x[i].d);
    float* y = dst + i * kQk;
    for (int j = 0; j < kQk / 2; ++j) {
      y[j] = static_cast<float>((x[i].qs[j] & 0xF) - 8) * d;
      y[j + kQk / 2] = static_cast<float>((x[i].qs[j] >> 4) - 8) * d;
    }
  }
}

float vec_dot_q4_0_q8_0_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ4_0*>(w);
  const auto* b = static_cast<const BlockQ8_0*>(xv);
  constexpr int kQk = BlockQ4_0::kElems;
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQk; ++i) {
    int s0 = 0, s1 = 0;
    for (int j = 0; j < kQk / 2; ++j) {
      s0 += ((a[i].qs[j] & 0xF) - 8) * b[i].qs[j];
      s1 += ((a[i].qs[j] >> 4) - 8) * b[i].qs[j + kQk / 2];
    }
    // ggml order: ((sumi * d_w) * d_x), accumulated in float.
    sum += static_cast<float>(s0 + s1) * f16_to_f32(a[i].d) * f16_to_f32(b[i].d);
  }
  return sum;
}

void quantize_row_q4_1_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ4_1*>(dst);
  constexpr int kQk = BlockQ4_1::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    float min = FLT_MAX, max = -FLT_MAX;
    for (int j = 0; j < kQk; ++j) {
      if (x[j] < min) min = x[j];
      if (x[j] > max) max = x[j];
    }
    const float d = (max - min) / 15;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[i].d = f32_to_f16(d);
    y[i].m = f32_to_f16(min);
    for (int j = 0; j < kQk / 2; ++j) {
      const int q0 = std::min(15, trunc_to_int((x[j] - min) * id + 0.5f));
      const int q1 = std::min(15, trunc_to_int((x[j + kQk / 2] - min) * id + 0.5f));
      y[i].qs[j] = static_cast<uint8_t>((q0 & 0xF) | (q1 << 4));
    }
  }
}

void dequantize_row_q4_1(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ4_1*>(src);
  constexpr int kQk = BlockQ4_1::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = f16_to_f32(x[i].d);
    const float m = f16_to_f32(x[i].m);
    float* y = dst + i * kQk;
    for (int j = 0; j < kQk / 2; ++j) {
      y[j] = static_cast<float>(x[i].qs[j] & 0xF) * d + m;
      y[j + kQk / 2] = static_cast<float>(x[i].qs[j] >> 4) * d + m;
    }
  }
}

float vec_dot_q4_1_q8_1_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ4_1*>(w);
  const auto* b = static_cast<const BlockQ8_1*>(xv);
  constexpr int kQk = BlockQ4_1::kElems;
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQk; ++i) {
    int s0 = 0, s1 = 0;
    for (int j = 0; j < kQk / 2; ++j) {
      s0 += (a[i].qs[j] & 0xF) * b[i].qs[j];
      s1 += (a[i].qs[j] >> 4) * b[i].qs[j + kQk / 2];
    }
    // The min term uses the activation block's precomputed s = d_x * sum(q_x).
    sum += (f16_to_f32(a[i].d) * f16_to_f32(b[i].d)) * static_cast<float>(s0 + s1) +
           f16_to_f32(a[i].m) * f16_to_f32(b[i].s);
  }
  return sum;
}

}  // namespace hako
