// q2_K and q3_K: 256-element super-blocks of 16 sub-blocks of 16. q2_K codes
// are 2-bit with a 4-bit scale and 4-bit min per sub-block (value =
// d*sc*q - dmin*m); q3_K codes are 3-bit (2 low bits + a high-bit mask) with
// signed 6-bit scales (value = d*(sc-32)*(q-4)). Holds the reference quantize
// (bit-identical to ggml's quantize_row_q{2,3}_K_ref), dequantize and the
// scalar dot with q8_K (ggml's generic vec_dot order). Not here: SIMD.
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

// Packs 256 2-bit codes: byte l of each 32-byte group holds elements
// l, l+32, l+64, l+96 of its 128-element half, lowest bits first.
void pack_2bit(const uint8_t* L, uint8_t* qs) {
  for (int j = 0; j < kQK; j += 128) {
    for (int l = 0; l < 32; ++l) {
      qs[j / 4 + l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) |
                                           (L[j + l + 96] << 6));
    }
  }
}

// The 2-bit code of element e (0..255) from the packing above.
inline int code_2bit(const uint8_t* qs, int e) {
  return (qs[(e / 128) * 32 + e % 32] >> (2 * ((e % 128) / 32))) & 3;
}

// The 16 signed 6-bit q3_K scales (already minus 32) from the 12 packed bytes:
// low nibbles in bytes 0..7 (scale j<8 low nibble, j>=8 high nibble of byte
// j-8), high 2 bits in bytes 8..11 (scale j at byte 8+j%4, bits 2*(j/4)).
void unpack_q3_scales(const uint8_t* s, int* out) {
  for (int j = 0; j < 16; ++j) {
    const int lo = j < 8 ? (s[j] & 0xF) : (s[j - 8] >> 4);
    const int hi = (s[8 + j % 4] >> (2 * (j / 4))) & 3;
    out[j] = (lo | (hi << 4)) - 32;
  }
}

// The signed 3-bit code (-4..3) of element e of a q3_K block.
inline int code_q3(const BlockQ3_K& b, int e) {
  const int high = (b.hmask[e % 32] >> (e / 32)) & 1;
  return code_2bit(b.qs, e) - (high ? 0 : 4);
}

}  // namespace

void quantize_row_q2_K_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ2_K*>(dst);
  constexpr float kQ4Scale = 15.f;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    uint8_t L[kQK];
    float weights[16], mins[16], scales[16];
    float max_scale = 0, max_min = 0;
    for (int j = 0; j < 16; ++j) {
      for (int l = 0; l < 16; ++l) weights[l] = std::fabs(x[16 * j + l]);
      const quant_detail::Qkx2Options opt{.nmax = 3, .weights = weights, .rmin = -0.5f, .rdelta = 0.1f,
                                          .nstep = 15, .norm = quant_detail::Qkx2Options::ErrorNorm::kAbsolute};
      const auto sm = quant_detail::make_qkx2_quants({x + 16 * j, 16}, L + 16 * j, opt);
      scales[j] = sm.scale;
      mins[j] = sm.min;
      max_scale = std::max(max_scale, scales[j]);
      max_min = std::max(max_min, mins[j]);
    }
    if (max_scale > 0) {
      const float iscale = kQ4Scale / max_scale;
      for (int j = 0; j < 16; ++j) y[i].scales[j] = static_cast<uint8_t>(nearest_int(iscale * scales[j]));
      y[i].d = f32_to_f16(max_scale / kQ4Scale);
    } else {
      std::memset(y[i].scales, 0, sizeof(y[i].scales));
      y[i].d = f32_to_f16(0.f);
    }
    if (max_min > 0) {
      const float iscale = kQ4Scale / max_min;
      for (int j = 0; j < 16; ++j) y[i].scales[j] |= static_cast<uint8_t>(nearest_int(iscale * mins[j]) << 4);
      y[i].dmin = f32_to_f16(max_min / kQ4Scale);
    } else {
      y[i].dmin = f32_to_f16(0.f);
    }
    // Re-derive the codes against the rounded scales.
    for (int j = 0; j < 16; ++j) {
      const float d = f16_to_f32(y[i].d) * static_cast<float>(y[i].scales[j] & 0xF);
      if (d == 0) continue;
      const float dm = f16_to_f32(y[i].dmin) * static_cast<float>(y[i].scales[j] >> 4);
      for (int l = 0; l < 16; ++l) {
        L[16 * j + l] = static_cast<uint8_t>(std::max(0, std::min(3, nearest_int((x[16 * j + l] + dm) / d))));
      }
    }
    pack_2bit(L, y[i].qs);
  }
}

void dequantize_row_q2_K(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ2_K*>(src);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float d = f16_to_f32(x[i].d);
    const float dmin = f16_to_f32(x[i].dmin);
    float* y = dst + i * kQK;
    for (int e = 0; e < kQK; ++e) {
      // Sub-block of element e: 16-element groups in storage order.
      const uint8_t sc = x[i].scales[e / 16];
      const float dl = d * static_cast<float>(sc & 0xF);
      const float ml = dmin * static_cast<float>(sc >> 4);
      y[e] = dl * static_cast<float>(code_2bit(x[i].qs, e)) - ml;
    }
  }
}

float vec_dot_q2_K_q8_K_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ2_K*>(w);
  const auto* b = static_cast<const BlockQ8_K*>(xv);
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    int summs = 0;
    for (int j = 0; j < 16; ++j) summs += b[i].bsums[j] * (a[i].scales[j] >> 4);
    const float dall = b[i].d * f16_to_f32(a[i].d);
    const float dmin = b[i].d * f16_to_f32(a[i].dmin);
    int isum = 0;
    for (int e = 0; e < kQK; ++e) isum += (a[i].scales[e / 16] & 0xF) * (b[i].qs[e] * code_2bit(a[i].qs, e));
    sum += dall * static_cast<float>(isum) - dmin * static_cast<float>(summs);
  }
  return sum;
}

void quantize_row_q3_K_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ3_K*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    int8_t L[kQK];
    float scales[16];
    float max_scale = 0, amax = 0;
    for (int j = 0; j < 16; ++j) {
      scales[j] = quant_detail::make_q3_quants(4, {x + 16 * j, 16}, L + 16 * j, quant_detail::Q3Search::kRmse);
      if (std::fabs(scales[j]) > amax) {
        amax = std::fabs(scales[j]);
        max_scale = scales[j];
      }
    }
    std::memset(y[i].scales, 0, sizeof(y[i].scales));
    if (max_scale != 0) {
      const float iscale = -32.f / max_scale;
      for (int j = 0; j < 16; ++j) {
        // ggml stores nearest_int into an int8_t before clamping.
        const int l = std::max(-32, std::min(31, static_cast<int>(static_cast<int8_t>(nearest_int(iscale * scales[j]))))) + 32;
        if (j < 8) {
          y[i].scales[j] = static_cast<uint8_t>(l & 0xF);
        } else {
          y[i].scales[j - 8] |= static_cast<uint8_t>((l & 0xF) << 4);
        }
        y[i].scales[j % 4 + 8] |= static_cast<uint8_t>((l >> 4) << (2 * (j / 4)));
      }
      y[i].d = f32_to_f16(1 / iscale);
    } else {
      y[i].d = f32_to_f16(0.f);
    }
    int sc[16];
    unpack_q3_scales(y[i].scales, sc);
    for (int j = 0; j < 16; ++j) {
      const float d = f16_to_f32(y[i].d) * static_cast<float>(sc[j]);
      if (d == 0) continue;
      for (int l = 0; l < 16; ++l) {
        L[16 * j + l] = static_cast<int8_t>(std::max(-4, std::min(3, nearest_int(x[16 * j + l] / d))) + 4);
      }
    }
    // High bit of element e goes to hmask[e % 32], bit e / 32.
    std::memset(y[i].hmask, 0, sizeof(y[i].hmask));
    uint8_t low[kQK];
    for (int e = 0; e < kQK; ++e) {
      int l = L[e];
      if (l > 3) {
        y[i].hmask[e % 32] |= static_cast<uint8_t>(1u << (e / 32));
        l -= 4;
      }
      low[e] = static_cast<uint8_t>(l);
    }
    pack_2bit(low, y[i].qs);
  }
}

void dequantize_row_q3_K(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ3_K*>(src);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float d_all = f16_to_f32(x[i].d);
    int sc[16];
    unpack_q3_scales(x[i].scales, sc);
    for (int e = 0; e < kQK; ++e) {
      const float dl = d_all * static_cast<float>(sc[e / 16]);
      dst[i * kQK + e] = dl * static_cast<float>(code_q3(x[i], e));
    }
  }
}

float vec_dot_q3_K_q8_K_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ3_K*>(w);
  const auto* b = static_cast<const BlockQ8_K*>(xv);
  float sums[8] = {};
  for (int64_t i = 0; i < n / kQK; ++i) {
    int8_t codes[kQK];
    for (int e = 0; e < kQK; ++e) codes[e] = static_cast<int8_t>(code_q3(a[i], e));
    int sc[16];
    unpack_q3_scales(a[i].scales, sc);
    int32_t lanes[8];
    quant_detail::kquant_lane_sums(codes, b[i].qs, sc, lanes);
    const float d = f16_to_f32(a[i].d) * b[i].d;
    for (int l = 0; l < 8; ++l) sums[l] += d * static_cast<float>(lanes[l]);
  }
  float sum = 0;
  for (float s : sums) sum += s;
  return sum;
}

}  // namespace hako
