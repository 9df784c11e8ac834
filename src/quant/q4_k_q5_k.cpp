// q4_K and q5_K: 256-element super-blocks of 8 sub-blocks of 32 with 6-bit
// scales and mins packed in 12 bytes (get_scale_min_k4 in blocks.h); value =
// d*sc*q - dmin*m with 4-bit (q4_K) or 5-bit (q5_K) codes. Holds the reference
// quantize (bit-identical to ggml's quantize_row_q{4,5}_K_ref), dequantize and
// the scalar dot with q8_K (ggml's generic vec_dot order). Not here: SIMD.
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

// The search settings that differ between q4_K and q5_K.
struct KxSettings {
  int nmax;  // 15 or 31
  float rmin;
  int nstep;
};

// Packs 6-bit scale ls and min lm of sub-block j into the 12 scale bytes.
void pack_scale_min(int j, uint8_t ls, uint8_t lm, uint8_t* s) {
  if (j < 4) {
    s[j] = ls;
    s[j + 4] = lm;
  } else {
    s[j + 4] = static_cast<uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
    s[j - 4] |= static_cast<uint8_t>((ls >> 4) << 6);
    s[j] |= static_cast<uint8_t>((lm >> 4) << 6);
  }
}

// The shared part of q4_K / q5_K quantization: picks the sub-block scales
// and mins, writes y.d, y.dmin and the 12 scale bytes, and fills L (256 codes
// in 0..nmax) against the rounded scales. The caller packs the codes.
template <typename Block>
void quantize_kx_superblock(const float* x, const KxSettings& cfg, Block& y, uint8_t* L) {
  uint8_t* scale_bytes = y.scales;
  float mins[8], scales[8], weights[32];
  float max_scale = 0, max_min = 0;
  for (int j = 0; j < 8; ++j) {
    float sum_x2 = 0;
    for (int l = 0; l < 32; ++l) sum_x2 += x[32 * j + l] * x[32 * j + l];
    const float av_x = std::sqrt(sum_x2 / 32);
    for (int l = 0; l < 32; ++l) weights[l] = av_x + std::fabs(x[32 * j + l]);
    const quant_detail::Qkx2Options opt{.nmax = cfg.nmax, .weights = weights, .rmin = cfg.rmin, .rdelta = 0.1f,
                                        .nstep = cfg.nstep, .norm = quant_detail::Qkx2Options::ErrorNorm::kSquared};
    const auto sm = quant_detail::make_qkx2_quants({x + 32 * j, 32}, L + 32 * j, opt);
    scales[j] = sm.scale;
    mins[j] = sm.min;
    max_scale = std::max(max_scale, scales[j]);
    max_min = std::max(max_min, mins[j]);
  }
  const float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
  const float inv_min = max_min > 0 ? 63.f / max_min : 0.f;
  for (int j = 0; j < 8; ++j) {
    // ggml truncates nearest_int to uint8_t before the MIN(63, .).
    const auto ls = std::min<uint8_t>(63, static_cast<uint8_t>(nearest_int(inv_scale * scales[j])));
    const auto lm = std::min<uint8_t>(63, static_cast<uint8_t>(nearest_int(inv_min * mins[j])));
    pack_scale_min(j, ls, lm, scale_bytes);
  }
  y.d = f32_to_f16(max_scale / 63.f);
  y.dmin = f32_to_f16(max_min / 63.f);
  for (int j = 0; j < 8; ++j) {
    uint8_t sc, m;
    get_scale_min_k4(j, scale_bytes, &sc, &m);
    const float d = f16_to_f32(y.d) * static_cast<float>(sc);
    if (d == 0) continue;
    const float dm = f16_to_f32(y.dmin) * static_cast<float>(m);
    for (int l = 0; l < 32; ++l) {
      L[32 * j + l] = static_cast<uint8_t>(std::max(0, std::min(cfg.nmax, nearest_int((x[32 * j + l] + dm) / d))));
    }
  }
}

// Low 4 bits of element e: byte (e/64)*32 + e%32, low nibble for the first
// 32 of each 64, high nibble for the second.
inline int nibble_k(const uint8_t* qs, int e) {
  return (qs[(e / 64) * 32 + e % 32] >> (4 * ((e % 64) / 32))) & 0xF;
}
// Fifth bit of element e of a q5_K block: qh[e % 32], bit e / 32.
inline int high_bit_q5k(const uint8_t* qh, int e) { return (qh[e % 32] >> (e / 32)) & 1; }

// Dequantizes one 256 block of codes with its scale bytes.
void dequantize_kx(const int* codes, const uint8_t* scale_bytes, float d, float dmin, float* y) {
  for (int j = 0; j < 8; ++j) {
    uint8_t sc, m;
    get_scale_min_k4(j, scale_bytes, &sc, &m);
    const float d1 = d * static_cast<float>(sc);
    const float m1 = dmin * static_cast<float>(m);
    for (int l = 0; l < 32; ++l) y[32 * j + l] = d1 * static_cast<float>(codes[32 * j + l]) - m1;
  }
}

// ggml's generic q4_K/q5_K x q8_K order: 8 float lanes of d*lane_sum across
// blocks, the min terms subtracted from a separate running sum, lanes added last.
struct KxDotAccumulator {
  float sums[8] = {};
  float sumf = 0;
  void add_block(const int8_t* codes, const uint8_t* scale_bytes, f16_t d, f16_t dmin, const BlockQ8_K& b) {
    int sc16[16];
    int sumi = 0;
    for (int j = 0; j < 8; ++j) {
      uint8_t sc, m;
      get_scale_min_k4(j, scale_bytes, &sc, &m);
      sc16[2 * j] = sc16[2 * j + 1] = sc;
      sumi += (b.bsums[2 * j] + b.bsums[2 * j + 1]) * m;
    }
    int32_t lanes[8];
    quant_detail::kquant_lane_sums(codes, b.qs, sc16, lanes);
    const float dd = f16_to_f32(d) * b.d;
    for (int l = 0; l < 8; ++l) sums[l] += dd * static_cast<float>(lanes[l]);
    sumf -= f16_to_f32(dmin) * b.d * static_cast<float>(sumi);
  }
  float result() const {
    float s = sumf;
    for (float v : sums) s += v;
    return s;
  }
};

}  // namespace

void quantize_row_q4_K_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ4_K*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    uint8_t L[kQK];
    quantize_kx_superblock(src + i * kQK, {.nmax = 15, .rmin = -1.f, .nstep = 20}, y[i], L);
    for (int j = 0; j < kQK; j += 64) {
      for (int l = 0; l < 32; ++l) y[i].qs[j / 2 + l] = static_cast<uint8_t>(L[j + l] | (L[j + l + 32] << 4));
    }
  }
}

void dequantize_row_q4_K(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ4_K*>(src);
  for (int64_t i = 0; i < n / kQK; ++i) {
    int codes[kQK];
    for (int e = 0; e < kQK; ++e) codes[e] = nibble_k(x[i].qs, e);
    dequantize_kx(codes, x[i].scales, f16_to_f32(x[i].d), f16_to_f32(x[i].dmin), dst + i * kQK);
  }
}

float vec_dot_q4_K_q8_K_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ4_K*>(w);
  const auto* b = static_cast<const BlockQ8_K*>(xv);
  KxDotAccumulator acc;
  for (int64_t i = 0; i < n / kQK; ++i) {
    int8_t codes[kQK];
    for (int e = 0; e < kQK; ++e) codes[e] = static_cast<int8_t>(nibble_k(a[i].qs, e));
    acc.add_block(codes, a[i].scales, a[i].d, a[i].dmin, b[i]);
  }
  return acc.result();
}

void quantize_row_q5_K_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockQ5_K*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    uint8_t L[kQK];
    quantize_kx_superblock(src + i * kQK, {.nmax = 31, .rmin = -0.5f, .nstep = 15}, y[i], L);
    std::memset(y[i].qh, 0, sizeof(y[i].qh));
    for (int e = 0; e < kQK; ++e) {
      if (L[e] > 15) y[i].qh[e % 32] |= static_cast<uint8_t>(1u << (e / 32));
    }
    for (int j = 0; j < kQK; j += 64) {
      for (int l = 0; l < 32; ++l) {
        y[i].qs[j / 2 + l] = static_cast<uint8_t>((L[j + l] & 0xF) | ((L[j + l + 32] & 0xF) << 4));
      }
    }
  }
}

void dequantize_row_q5_K(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockQ5_K*>(src);
  for (int64_t i = 0; i < n / kQK; ++i) {
    int codes[kQK];
    for (int e = 0; e < kQK; ++e) codes[e] = nibble_k(x[i].qs, e) + 16 * high_bit_q5k(x[i].qh, e);
    dequantize_kx(codes, x[i].scales, f16_to_f32(x[i].d), f16_to_f32(x[i].dmin), dst + i * kQK);
  }
}

float vec_dot_q5_K_q8_K_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockQ5_K*>(w);
  const auto* b = static_cast<const BlockQ8_K*>(xv);
  KxDotAccumulator acc;
  for (int64_t i = 0; i < n / kQK; ++i) {
    int8_t codes[kQK];
    for (int e = 0; e < kQK; ++e) {
      codes[e] = static_cast<int8_t>(nibble_k(a[i].qs, e) + 16 * high_bit_q5k(a[i].qh, e));
    }
    acc.add_block(codes, a[i].scales, a[i].d, a[i].dmin, b[i]);
  }
  return acc.result();
}

}  // namespace hako
