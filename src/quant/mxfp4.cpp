// mxfp4 (OCP microscaling FP4): 32-element blocks of E2M1 codes sharing one
// E8M0 exponent. kMxfp4Values holds the E2M1 values doubled, so a block's
// multiplier is 2^(e-128) (half of the E8M0 value 2^(e-127)). Holds the
// reference quantize (bit-identical to ggml's quantize_row_mxfp4_ref),
// dequantize and the scalar mxfp4 x q8_0 dot. Not here: SIMD.
#include <cmath>
#include <cstring>

#include "quant/blocks.h"
#include "quant/formats.h"
#include "quant/rounding.h"

namespace hako {

namespace {

constexpr int kQk = BlockMXFP4::kElems;

// 2^(e-128) as a float, exact for every e (e < 2 gives the subnormals
// 2^-128 and 2^-127), like ggml_e8m0_to_fp32_half.
float e8m0_half(uint8_t e) {
  const uint32_t bits = e < 2 ? (0x00200000u << e) : (static_cast<uint32_t>(e - 1) << 23);
  return bits_to_f32(bits);
}

// Code whose value (times d) is nearest x; the lowest index wins ties.
int best_index_mxfp4(float x, float d) {
  int best = 0;
  float best_err = std::fabs(static_cast<float>(kMxfp4Values[0]) * d - x);
  for (int i = 1; i < 16; ++i) {
    const float err = std::fabs(static_cast<float>(kMxfp4Values[i]) * d - x);
    if (err < best_err) {
      best = i;
      best_err = err;
    }
  }
  return best;
}

}  // namespace

void quantize_row_mxfp4_ref(const float* src, void* dst, int64_t n) {
  auto* y = static_cast<BlockMXFP4*>(dst);
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float* x = src + i * kQk;
    float amax = 0.0f;
    for (int j = 0; j < kQk; ++j) amax = amax < std::fabs(x[j]) ? std::fabs(x[j]) : amax;
    // e = floor(log2(amax)) - 2 + 127, so amax lands within the top E2M1
    // value 6 = 12/2. ggml casts this to uint8_t unchecked, which is undefined
    // for amax < 2^-125 (x86 wraps it to a huge scale); hako clamps it to 0
    // there (every code then rounds to 0). Identical for all other inputs.
    const int e_wide = amax > 0.0f ? quant_detail::trunc_to_int(std::floor(std::log2(amax)) - 2 + 127) : 0;
    const auto e = static_cast<uint8_t>(e_wide < 0 ? 0 : e_wide);
    const float d = e8m0_half(e);
    y[i].e = e;
    for (int j = 0; j < kQk / 2; ++j) {
      y[i].qs[j] = static_cast<uint8_t>(best_index_mxfp4(x[j], d) | (best_index_mxfp4(x[j + kQk / 2], d) << 4));
    }
  }
}

void dequantize_row_mxfp4(const void* src, float* dst, int64_t n) {
  const auto* x = static_cast<const BlockMXFP4*>(src);
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = e8m0_half(x[i].e);
    for (int j = 0; j < kQk / 2; ++j) {
      dst[i * kQk + j] = static_cast<float>(kMxfp4Values[x[i].qs[j] & 0xF]) * d;
      dst[i * kQk + j + kQk / 2] = static_cast<float>(kMxfp4Values[x[i].qs[j] >> 4]) * d;
    }
  }
}

float vec_dot_mxfp4_q8_0_ref(int64_t n, const void* w, const void* xv) {
  const auto* a = static_cast<const BlockMXFP4*>(w);
  const auto* b = static_cast<const BlockQ8_0*>(xv);
  float sum = 0;
  for (int64_t i = 0; i < n / kQk; ++i) {
    const float d = f16_to_f32(b[i].d) * e8m0_half(a[i].e);
    int s = 0;
    for (int j = 0; j < kQk / 2; ++j) {
      s += b[i].qs[j] * kMxfp4Values[a[i].qs[j] & 0xF] + b[i].qs[j + kQk / 2] * kMxfp4Values[a[i].qs[j] >> 4];
    }
    sum += d * static_cast<float>(s);
  }
  return sum;
}

}  // namespace hako
