// q8_0 and q8_1: 32-element blocks of int8 codes with an f16 scale (q8_1 adds
// s = d * sum(codes), used by the q4_1 / q5_1 dots). q8_0 is both a weight
// format and the activation format of q4_0/q5_0/q8_0/iq4_nl/mxfp4; q8_1 is an
// activation format only. Holds the reference quantizers (bit-identical to
// ggml's quantize_row_q8_{0,1}_ref), the variants that reproduce llama.cpp's
// x86 AVX activation quantizer, dequantize and the q8_0 x q8_0 dot.
//
// Rounding, exactly (documented because model conformance depends on it):
//  * reference (ggml *_ref, generic CPU build, and what llama-quantize
//    writes): d = amax / 127 (float), id = d ? 1/d : 0, q = roundf(x * id),
//    i.e. halfway cases away from zero; the stored scale is f16(d).
//  * llama.cpp's x86 AVX/AVX2/AVX512 CPU build (quantize_row_q8_0/_1 in
//    arch/x86/quants.c): same d, but id = 127 / amax (which can differ from
//    1/d by an ulp) and round-half-to-even (_mm256_round_ps NEAREST).
//  * llama.cpp's ARM NEON build: id = 1/d like the reference, but
//    round-half-to-even (vcvtnq_s32_f32).
// The three agree except on exact .5 ties and rare 1-ulp id differences.
#include <algorithm>
#include <cmath>

#include "quant/blocks.h"
#include "quant/formats.h"
#include "quant/rounding.h"

namespace hako {

using quant_detail::round_away;

namespace {

float block_amax(const float* x, int n) {
  float amax = 0.0f;
  for (int j = 0; j < n; ++j) amax = std::max(amax, std::fabs(x[j]));
  return amax;
}

// Round-half-to-even of x*id, as the SIMD round instructions do; NaN -> 0.
int round_even(float v) {
  if (!(std::fabs(v) < 2147483520.f)) return 0;
  return static_cast<int>(std::nearbyint(v));
}

}  // namespace

void quantize_row_q8_0_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ8_0*>(dst);
  constexpr int kQk = BlockQ8_0::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    const float d = block_amax(x, kQk) / 127;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[i].d = f32_to_f16(d);
    for (int j = 0; j < kQk; ++j) y[i].qs[j] = static_cast<int8_t>(round_away(x[j] * id));
  }
}

void quantize_row_q8_0_x86(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ8_0*>(dst);
  constexpr int kQk = BlockQ8_0::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    const float amax = block_amax(x, kQk);
    const float d = amax / 127.f;
    const float id = amax != 0.0f ? 127.f / amax : 0.0f;
    y[i].d = f32_to_f16(d);
    for (int j = 0; j < kQk; ++j) y[i].qs[j] = static_cast<int8_t>(round_even(x[j] * id));
  }
}

void dequantize_row_q8_0(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ8_0*>(src);
  constexpr int kQk = BlockQ8_0::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = f16_to_f32(x[i].d);
    for (int j = 0; j < kQk; ++j) dst[i * kQk + j] = static_cast<float>(x[i].qs[j]) * d;
  }
}

float vec_dot_q8_0_q8_0_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ8_0*>(w);
  const auto* b = static_cast<const BlockQ8_0*>(xv);
  constexpr int kQk = BlockQ8_0::kElems;
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQk; ++i) {
    int s = 0;
    for (int j = 0; j < kQk; ++j) s += a[i].qs[j] * b[i].qs[j];
    sum += static_cast<float>(s) * (f16_to_f32(a[i].d) * f16_to_f32(b[i].d));
  }
  return sum;
}

void quantize_row_q8_1_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ8_1*>(dst);
  constexpr int kQk = BlockQ8_1::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    const float d = block_amax(x, kQk) / 127;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[i].d = f32_to_f16(d);
    int sum = 0;
    for (int j = 0; j < kQk; ++j) {
      y[i].qs[j] = static_cast<int8_t>(round_away(x[j] * id));
      sum += y[i].qs[j];
    }
    y[i].s = f32_to_f16(static_cast<float>(sum) * d);  // from the unrounded d
  }
}

void quantize_row_q8_1_x86(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ8_1*>(dst);
  constexpr int kQk = BlockQ8_1::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    const float amax = block_amax(x, kQk);
    const float d = amax / 127.f;
    const float id = amax != 0.0f ? 127.f / amax : 0.0f;
    y[i].d = f32_to_f16(d);
    int sum = 0;
    for (int j = 0; j < kQk; ++j) {
      y[i].qs[j] = static_cast<int8_t>(round_even(x[j] * id));
      sum += y[i].qs[j];
    }
    y[i].s = f32_to_f16(d * static_cast<float>(sum));
  }
}

void dequantize_row_q8_1(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ8_1*>(src);
  constexpr int kQk = BlockQ8_1::kElems;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = f16_to_f32(x[i].d);
    for (int j = 0; j < kQk; ++j) dst[i * kQk + j] = static_cast<float>(x[i].qs[j]) * d;
  }
}

}  // namespace hako
