// iq4_nl and iq4_xs: 4-bit codes indexing the non-linear grid kIq4nlValues.
// iq4_nl: 32-element blocks with one f16 scale; iq4_xs: 256-element
// super-blocks of 8 sub-blocks of 32 with 6-bit sub-scales (value =
// d*(ls-32)*grid[q]). Holds the reference quantize (bit-identical to ggml's
// quantize_row_iq4_{nl,xs}_ref), llama-quantize's iq4_nl variant, dequantize
// and the scalar dots (iq4_nl x q8_0, iq4_xs x q8_K). Not here: SIMD.
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

constexpr int kSub = 32;  // elements per scale in both formats

// Index of the grid value nearest x (ties to the lower index), as ggml's
// best_index_int8.
int best_index(const int8_t* val, float x) {
  if (x <= val[0]) return 0;
  if (x >= val[15]) return 15;
  int ml = 0, mu = 15;
  while (mu - ml > 1) {
    const int mid = (ml + mu) / 2;
    if (x < val[mid]) mu = mid; else ml = mid;
  }
  return x - val[mu - 1] < val[mu] - x ? mu - 1 : mu;
}

// Sum of w*q*x and w*q*q over a 32-block for the grid codes picked at id.
struct Fit {
  float sumqx = 0, sumq2 = 0;
};
Fit fit_at(const float* xb, const float* weight, float id, uint8_t* Lb) {
  Fit f;
  for (int j = 0; j < kSub; ++j) {
    const int l = best_index(kIq4nlValues, id * xb[j]);
    if (Lb != nullptr) Lb[j] = static_cast<uint8_t>(l);
    const float q = kIq4nlValues[l];
    f.sumqx += weight[j] * q * xb[j];
    f.sumq2 += weight[j] * q * q;
  }
  return f;
}

// The per-32 scale search of ggml's quantize_row_iq4_nl_impl (weights x^2,
// no imatrix): initial codes in Lb, then 2*ntry+1 candidate scales. Returns
// the scale (0 for an all-zero block, Lb then left untouched).
float search_block_scale(const float* xb, uint8_t* Lb, int ntry) {
  float weight[kSub];
  float amax = 0, max = 0;
  for (int j = 0; j < kSub; ++j) {
    weight[j] = xb[j] * xb[j];
    if (std::fabs(xb[j]) > amax) {
      amax = std::fabs(xb[j]);
      max = xb[j];
    }
  }
  if (amax < quant_detail::kGroupMaxEps) return 0;
  const float v0 = kIq4nlValues[0];
  float d = ntry > 0 ? -max / v0 : max / v0;
  Fit f = fit_at(xb, weight, 1 / d, Lb);
  d = f.sumq2 > 0 ? f.sumqx / f.sumq2 : 0.f;
  float best = d * f.sumqx;
  for (int itry = -ntry; itry <= ntry; ++itry) {
    const float id = static_cast<float>(itry + kIq4nlValues[0]) / max;
    f = fit_at(xb, weight, id, nullptr);
    if (f.sumq2 > 0 && f.sumqx * f.sumqx > best * f.sumq2) {
      d = f.sumqx / f.sumq2;
      best = d * f.sumqx;
    }
  }
  return d;
}

// Nibble packing shared with q4_0: element j low, j+16 high, per 32.
void pack_nibbles(const uint8_t* L, int n, uint8_t* qs) {
  for (int i = 0; i < n / 32; ++i) {
    for (int j = 0; j < 16; ++j) qs[16 * i + j] = static_cast<uint8_t>(L[32 * i + j] | (L[32 * i + 16 + j] << 4));
  }
}

// One iq4_nl block: ntry = -1 is ggml's _ref, 7 is llama-quantize's path.
void quantize_block_iq4_nl(const float* x, BlockIQ4_NL& y, int ntry) {
  uint8_t L[kSub];
  std::fill(L, L + kSub, uint8_t{8});  // codes of an all-zero block (see header note)
  const float scale = search_block_scale(x, L, ntry);
  y.d = f32_to_f16(scale);
  if (ntry > 0) {
    const float id = scale != 0 ? 1 / scale : 0;
    for (int j = 0; j < kSub; ++j) L[j] = static_cast<uint8_t>(best_index(kIq4nlValues, id * x[j]));
  }
  pack_nibbles(L, kSub, y.qs);
}

int iq4_xs_scale(const BlockIQ4_XS& b, int ib) {
  return (((b.scales_l[ib / 2] >> 4 * (ib % 2)) & 0xF) | (((b.scales_h >> 2 * ib) & 3) << 4)) - 32;
}

}  // namespace

void quantize_row_iq4_nl_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockIQ4_NL*>(dst);
  for (int64_t i = 0; i < n / kSub; ++i) quantize_block_iq4_nl(src + i * kSub, y[i], -1);
}

void quantize_row_iq4_nl_llama_quantize(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockIQ4_NL*>(dst);
  for (int64_t i = 0; i < n / kSub; ++i) quantize_block_iq4_nl(src + i * kSub, y[i], 7);
}

void dequantize_row_iq4_nl(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockIQ4_NL*>(src);
  for (int64_t i = 0; i < n / kSub; ++i) {
    const float d = f16_to_f32(x[i].d);
    for (int j = 0; j < 16; ++j) {
      dst[i * kSub + j] = d * static_cast<float>(kIq4nlValues[x[i].qs[j] & 0xF]);
      dst[i * kSub + j + 16] = d * static_cast<float>(kIq4nlValues[x[i].qs[j] >> 4]);
    }
  }
}

float vec_dot_iq4_nl_q8_0_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockIQ4_NL*>(w);
  const auto* b = static_cast<const BlockQ8_0*>(xv);
  float sum = 0;
  for (int64_t i = 0; i < n / kSub; ++i) {
    const float d = f16_to_f32(b[i].d) * f16_to_f32(a[i].d);
    int s = 0;
    for (int j = 0; j < 16; ++j) {
      s += b[i].qs[j] * kIq4nlValues[a[i].qs[j] & 0xF] + b[i].qs[j + 16] * kIq4nlValues[a[i].qs[j] >> 4];
    }
    sum += d * static_cast<float>(s);
  }
  return sum;
}

void quantize_row_iq4_xs_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockIQ4_XS*>(dst);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    uint8_t L[kQK];
    float scales[8];
    float max_scale = 0, amax_scale = 0;
    for (int ib = 0; ib < 8; ++ib) {
      scales[ib] = search_block_scale(x + kSub * ib, L + kSub * ib, 7);
      if (std::fabs(scales[ib]) > amax_scale) {
        amax_scale = std::fabs(scales[ib]);
        max_scale = scales[ib];
      }
    }
    // Quantize the 8 scales to 6 bits against d = -max_scale/32, then re-pick
    // every code against its rounded scale.
    y[i].scales_h = 0;
    const float d = -max_scale / 32;
    y[i].d = f32_to_f16(d);
    const float id = d != 0 ? 1 / d : 0.f;
    for (int ib = 0; ib < 8; ++ib) {
      const int l = std::max(-32, std::min(31, nearest_int(id * scales[ib])));
      const float dl = d * static_cast<float>(l);
      const float idl = dl != 0 ? 1 / dl : 0.f;
      for (int j = 0; j < kSub; ++j) L[kSub * ib + j] = static_cast<uint8_t>(best_index(kIq4nlValues, idl * x[kSub * ib + j]));
      const int lu = l + 32;
      if (ib % 2 == 0) {
        y[i].scales_l[ib / 2] = static_cast<uint8_t>(lu & 0xF);
      } else {
        y[i].scales_l[ib / 2] |= static_cast<uint8_t>((lu & 0xF) << 4);
      }
      y[i].scales_h = static_cast<uint16_t>(y[i].scales_h | ((lu >> 4) << (2 * ib)));
    }
    pack_nibbles(L, kQK, y[i].qs);
  }
}

void dequantize_row_iq4_xs(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockIQ4_XS*>(src);
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float d = f16_to_f32(x[i].d);
    for (int ib = 0; ib < 8; ++ib) {
      const float dl = d * static_cast<float>(iq4_xs_scale(x[i], ib));
      const uint8_t* qs = x[i].qs + 16 * ib;
      float* y = dst + i * kQK + kSub * ib;
      for (int j = 0; j < 16; ++j) {
        y[j] = dl * static_cast<float>(kIq4nlValues[qs[j] & 0xF]);
        y[j + 16] = dl * static_cast<float>(kIq4nlValues[qs[j] >> 4]);
      }
    }
  }
}

float vec_dot_iq4_xs_q8_K_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockIQ4_XS*>(w);
  const auto* b = static_cast<const BlockQ8_K*>(xv);
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const float d4d8 = f16_to_f32(a[i].d) * b[i].d;
    for (int ib = 0; ib < 8; ++ib) {
      const uint8_t* qs = a[i].qs + 16 * ib;
      const int8_t* q8 = b[i].qs + kSub * ib;
      int s = 0;
      for (int j = 0; j < 16; ++j) {
        s += q8[j] * kIq4nlValues[qs[j] & 0xF] + q8[j + 16] * kIq4nlValues[qs[j] >> 4];
      }
      sum += (d4d8 * static_cast<float>(iq4_xs_scale(a[i], ib))) * static_cast<float>(s);
    }
  }
  return sum;
}

}  // namespace hako
