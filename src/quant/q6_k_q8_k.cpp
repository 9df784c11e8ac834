// q6_K and q8_K. q6_K: 256-element super-blocks of 16 sub-blocks of 16 with
// 6-bit codes (4 low bits in ql, 2 high bits in qh) and int8 scales; value =
// d*sc*(q-32). q8_K: the activation format of every K-quant dot (float d,
// int8 codes, per-16 code sums). Holds the reference quantizers (bit-identical
// to ggml's quantize_row_q6_K_ref / quantize_row_q8_K_ref), dequantize and
// the scalar q6_K x q8_K dot (ggml's generic vec_dot order). Not here: SIMD.
//
// q8_K rounding, exactly: iscale = -127/max where max is the signed value of
// largest magnitude, q = min(127, nearest_int(iscale*x)) (ties to even),
// d = 1/iscale stored as float. llama.cpp's x86 and ARM builds call this same
// reference for q8_K, so activations match across builds.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "quant/blocks.h"
#include "quant/formats.h"
#include "quant/k_search.h"
#include "quant/rounding.h"

namespace hako {

using quant_detail::nearest_int;

namespace {

// The signed 6-bit code (-32..31) of element e of a q6_K block. Within each
// 128-element half, element l + 32k (l < 32, k < 4) keeps its low nibble in
// ql[64*half + l + 32*(k&1)] (low nibble for k < 2, high for k >= 2) and its
// high 2 bits in qh[32*half + l] at bits 2k.
inline int code_q6(const BlockQ6_K& b, int e) {
  const int half = e / 128, r = e % 128, l = r % 32, k = r / 32;
  const int low = (b.ql[64 * half + l + 32 * (k & 1)] >> (4 * (k >> 1))) & 0xF;
  const int high = (b.qh[32 * half + l] >> (2 * k)) & 3;
  return (low | (high << 4)) - 32;
}

void pack_q6(const int8_t* L, BlockQ6_K& b) {
  for (int h = 0; h < 2; ++h) {
    const int8_t* Lh = L + 128 * h;
    for (int l = 0; l < 32; ++l) {
      b.ql[64 * h + l] = static_cast<uint8_t>((Lh[l] & 0xF) | ((Lh[l + 64] & 0xF) << 4));
      b.ql[64 * h + l + 32] = static_cast<uint8_t>((Lh[l + 32] & 0xF) | ((Lh[l + 96] & 0xF) << 4));
      b.qh[32 * h + l] = static_cast<uint8_t>((Lh[l] >> 4) | ((Lh[l + 32] >> 4) << 2) |
                                              ((Lh[l + 64] >> 4) << 4) | ((Lh[l + 96] >> 4) << 6));
    }
  }
}

}  // namespace

void quantize_row_q6_K_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ6_K*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    int8_t L[kQK];
    float scales[16];
    float max_scale = 0, max_abs_scale = 0;
    for (int ib = 0; ib < 16; ++ib) {
      scales[ib] = quant_detail::make_qx_quants(32, {x + 16 * ib, 16}, L + 16 * ib, 1);
      if (std::fabs(scales[ib]) > max_abs_scale) {
        max_abs_scale = std::fabs(scales[ib]);
        max_scale = scales[ib];
      }
    }
    if (max_abs_scale < quant_detail::kGroupMaxEps) {
      std::memset(&y[i], 0, sizeof(BlockQ6_K));
      continue;
    }
    const float iscale = -128.f / max_scale;
    y[i].d = f32_to_f16(1 / iscale);
    for (int ib = 0; ib < 16; ++ib) {
      y[i].scales[ib] = static_cast<int8_t>(std::min(127, nearest_int(iscale * scales[ib])));
    }
    for (int j = 0; j < 16; ++j) {
      const float d = f16_to_f32(y[i].d) * static_cast<float>(y[i].scales[j]);
      if (d == 0) continue;
      for (int l = 0; l < 16; ++l) {
        L[16 * j + l] = static_cast<int8_t>(std::max(-32, std::min(31, nearest_int(x[16 * j + l] / d))) + 32);
      }
    }
    pack_q6(L, y[i]);
  }
}

void dequantize_row_q6_K(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ6_K*>(src);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float d = f16_to_f32(x[i].d);
    for (int e = 0; e < kQK; ++e) {
      dst[i * kQK + e] = d * static_cast<float>(x[i].scales[e / 16]) * static_cast<float>(code_q6(x[i], e));
    }
  }
}

float vec_dot_q6_K_q8_K_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ6_K*>(w);
  const auto* b = static_cast<const BlockQ8_K*>(xv);
  float sums[8] = {};
  for (int64_t i = 0; i < n / kQK; ++i) {
    int8_t codes[kQK];
    for (int e = 0; e < kQK; ++e) codes[e] = static_cast<int8_t>(code_q6(a[i], e));
    int sc[16];
    for (int j = 0; j < 16; ++j) sc[j] = a[i].scales[j];
    int32_t lanes[8];
    quant_detail::kquant_lane_sums(codes, b[i].qs, sc, lanes);
    const float d = f16_to_f32(a[i].d) * b[i].d;
    for (int l = 0; l < 8; ++l) sums[l] += d * static_cast<float>(lanes[l]);
  }
  float sum = 0;
  for (float s : sums) sum += s;
  return sum;
}

void quantize_row_q8_K_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ8_K*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    float max = 0, amax = 0;
    for (int j = 0; j < kQK; ++j) {
      if (std::fabs(x[j]) > amax) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    if (amax == 0) {
      // ggml leaves bsums unset here; hako zeroes the whole block.
      std::memset(&y[i], 0, sizeof(BlockQ8_K));
      continue;
    }
    const float iscale = -127.f / max;
    for (int j = 0; j < kQK; ++j) y[i].qs[j] = static_cast<int8_t>(std::min(127, nearest_int(iscale * x[j])));
    for (int j = 0; j < kQK / 16; ++j) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += y[i].qs[16 * j + l];
      y[i].bsums[j] = static_cast<int16_t>(sum);
    }
    y[i].d = 1 / iscale;
  }
}

void dequantize_row_q8_K(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ8_K*>(src);
  for (int64_t i = 0; i < n / kQK; ++i) {
    for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = x[i].d * static_cast<float>(x[i].qs[j]);
  }
}

}  // namespace hako
