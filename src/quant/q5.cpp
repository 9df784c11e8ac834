// q5_0 and q5_1: 32-element blocks of 5-bit codes (low 4 bits in nibbles as
// q4_0, the fifth bits in a little-endian uint32) with an f16 scale (q5_0,
// symmetric around 16) or f16 scale and min (q5_1). Holds the reference
// quantize (bit-identical to ggml's quantize_row_q5_{0,1}_ref), dequantize
// and the scalar dots with q8_0 / q8_1. Not here: SIMD.
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "quant/blocks.h"
#include "quant/formats.h"
#include "quant/rounding.h"

namespace hako {

using quant_detail::load_u32;
using quant_detail::store_u32;
using quant_detail::trunc_to_int;

namespace {

constexpr int kQk = 32;

// Packs 32 five-bit codes into the nibble array and the high-bit word.
template <typename Block>
void pack_q5(const int* q, Block& b) {
  uint32_t qh = 0;
  for (int j = 0; j < kQk / 2; ++j) {
    b.qs[j] = static_cast<uint8_t>((q[j] & 0xF) | ((q[j + kQk / 2] & 0xF) << 4));
    qh |= static_cast<uint32_t>((q[j] >> 4) & 1) << j;
    qh |= static_cast<uint32_t>((q[j + kQk / 2] >> 4) & 1) << (j + kQk / 2);
  }
  store_u32(b.qh, qh);
}

// Unpacks the 32 codes (0..31) of a block.
template <typename Block>
void unpack_q5(const Block& b, int* q) {
  const uint32_t qh = load_u32(b.qh);
  for (int j = 0; j < kQk / 2; ++j) {
    q[j] = (b.qs[j] & 0xF) | static_cast<int>(((qh >> j) & 1) << 4);
    q[j + kQk / 2] = (b.qs[j] >> 4) | static_cast<int>(((qh >> (j + kQk / 2)) & 1) << 4);
  }
}

}  // namespace

void quantize_row_q5_0_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ5_0*>(dst);
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < kQk; ++j) {
      if (amax < std::fabs(x[j])) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    const float d = max / -16;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[i].d = f32_to_f16(d);
    int q[kQk];
    for (int j = 0; j < kQk; ++j) q[j] = std::min(31, trunc_to_int(x[j] * id + 16.5f));
    pack_q5(q, y[i]);
  }
}

void dequantize_row_q5_0(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ5_0*>(src);
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = f16_to_f32(x[i].d);
    int q[kQk];
    unpack_q5(x[i], q);
    for (int j = 0; j < kQk; ++j) dst[i * kQk + j] = static_cast<float>(q[j] - 16) * d;
  }
}

float vec_dot_q5_0_q8_0_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ5_0*>(w);
  const auto* b = static_cast<const BlockQ8_0*>(xv);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQk; ++i) {
    int q[kQk];
    unpack_q5(a[i], q);
    int s = 0;
    for (int j = 0; j < kQk; ++j) s += (q[j] - 16) * b[i].qs[j];
    sum += (f16_to_f32(a[i].d) * f16_to_f32(b[i].d)) * static_cast<float>(s);
  }
  return sum;
}

void quantize_row_q5_1_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ5_1*>(dst);
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    float min = FLT_MAX, max = -FLT_MAX;
    for (int j = 0; j < kQk; ++j) {
      if (x[j] < min) min = x[j];
      if (x[j] > max) max = x[j];
    }
    const float d = (max - min) / 31;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[i].d = f32_to_f16(d);
    y[i].m = f32_to_f16(min);
    int q[kQk];
    // ggml does not clamp here: (x-min)*id + 0.5 stays below 32 by construction.
    for (int j = 0; j < kQk; ++j) q[j] = trunc_to_int((x[j] - min) * id + 0.5f) & 0xFF;
    pack_q5(q, y[i]);
  }
}

void dequantize_row_q5_1(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ5_1*>(src);
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = f16_to_f32(x[i].d);
    const float m = f16_to_f32(x[i].m);
    int q[kQk];
    unpack_q5(x[i], q);
    for (int j = 0; j < kQk; ++j) dst[i * kQk + j] = static_cast<float>(q[j]) * d + m;
  }
}

float vec_dot_q5_1_q8_1_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ5_1*>(w);
  const auto* b = static_cast<const BlockQ8_1*>(xv);
  float sum = 0.0f;
  for (int64_t i = 0; i < n / kQk; ++i) {
    int q[kQk];
    unpack_q5(a[i], q);
    int s = 0;
    for (int j = 0; j < kQk; ++j) s += q[j] * b[i].qs[j];
    sum += (f16_to_f32(a[i].d) * f16_to_f32(b[i].d)) * static_cast<float>(s) +
           f16_to_f32(a[i].m) * f16_to_f32(b[i].s);
  }
  return sum;
}

}  // namespace hako
