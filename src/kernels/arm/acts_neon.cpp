// NEON activation quantizers: f32 -> q8_0 / q8_1 (both roundings), q8_K,
// f16, bf16, byte-identical to the quant/ reference (tests/kernels checks
// every row). Same method as x86/acts_avx2.cpp: the scale is computed in
// scalar code exactly as the reference does, each element is one IEEE
// multiply, and the rounding instruction matches the reference's rule
// (FRINTA = roundf, FCVTNS = ties to even).
#include <cmath>

#include "base/fp16.h"
#include "kernels/arm/neon_common.h"
#include "kernels/registry.h"
#include "quant/blocks.h"

namespace hako {
namespace {

// 32 int32 (8 vectors of 4, element order) -> 32 int8 with saturation.
inline void narrow_store(const int32x4_t (&q)[8], int8_t* dst) {
  for (int h = 0; h < 2; ++h) {
    const int16x8_t a = vcombine_s16(vqmovn_s32(q[4 * h]), vqmovn_s32(q[4 * h + 1]));
    const int16x8_t b = vcombine_s16(vqmovn_s32(q[4 * h + 2]), vqmovn_s32(q[4 * h + 3]));
    vst1q_s8(dst + 16 * h, vcombine_s8(vqmovn_s16(a), vqmovn_s16(b)));
  }
}

// Side data of the 32 codes q: minus each 4 codes' sum into quad_nsum (if
// wanted, 8 ints); returns the sum of all 32.
inline int32_t group_side(const int8_t* q, int32_t* quad_nsum) {
  const int32x4_t a = vpaddlq_s16(vpaddlq_s8(vld1q_s8(q))), b = vpaddlq_s16(vpaddlq_s8(vld1q_s8(q + 16)));
  if (quad_nsum) {
    vst1q_s32(quad_nsum, vnegq_s32(a));
    vst1q_s32(quad_nsum + 4, vnegq_s32(b));
  }
  return vaddvq_s32(vaddq_s32(a, b));
}

template <ActRounding kR>
inline float quantize_group(const float* x, int8_t* qs) {
  float32x4_t v[8];
  float32x4_t m = vdupq_n_f32(0.0f);
  for (int k = 0; k < 8; ++k) {
    v[k] = vld1q_f32(x + 4 * k);
    m = vmaxq_f32(m, vabsq_f32(v[k]));
  }
  const float amax = vmaxvq_f32(m);
  const float d = amax / 127;
  float id;
  if constexpr (kR == ActRounding::kReference) id = d != 0.0f ? 1.0f / d : 0.0f;
  else id = amax != 0.0f ? 127.f / amax : 0.0f;
  int32x4_t q[8];
  for (int k = 0; k < 8; ++k) {
    const float32x4_t p = vmulq_n_f32(v[k], id);
    q[k] = kR == ActRounding::kReference ? vcvtq_s32_f32(vrndaq_f32(p)) : vcvtnq_s32_f32(p);
  }
  narrow_store(q, qs);
  return d;
}

template <ActRounding kR>
void quantize_q8_0(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<BlockQ8_0*>(out.row);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = quantize_group<kR>(x + 32 * i, y[i].qs);
    y[i].d = f32_to_f16(d);
    if (out.group_d) {
      out.group_d[i] = f16_to_f32(y[i].d);
      out.group_sum[i] = group_side(y[i].qs, out.quad_nsum ? out.quad_nsum + 8 * i : nullptr);
    }
  }
}

template <ActRounding kR>
void quantize_q8_1(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<BlockQ8_1*>(out.row);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = quantize_group<kR>(x + 32 * i, y[i].qs);
    const int32_t sum = group_side(y[i].qs, out.quad_nsum ? out.quad_nsum + 8 * i : nullptr);
    y[i].d = f32_to_f16(d);
    y[i].s = f32_to_f16(static_cast<float>(sum) * d);
    if (out.group_d) {
      out.group_d[i] = f16_to_f32(y[i].d);
      out.group_sum[i] = sum;
    }
  }
}

void quantize_q8_K(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<BlockQ8_K*>(out.row);
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    float32x4_t m = vdupq_n_f32(0.0f);
    for (int k = 0; k < kQK / 4; ++k) m = vmaxq_f32(m, vabsq_f32(vld1q_f32(x + 4 * k)));
    const float amax = vmaxvq_f32(m);
    if (amax == 0.0f) {
      std::memset(&y[i], 0, sizeof(BlockQ8_K));
      if (out.quad_nsum) std::memset(out.quad_nsum + 64 * i, 0, 64 * sizeof(int32_t));
    } else {
      int first = 0;
      while (std::fabs(x[first]) != amax) ++first;  // the first element of largest magnitude
      const float iscale = -127.f / x[first];
      for (int g = 0; g < kQK / 32; ++g) {
        int32x4_t q[8];
        for (int k = 0; k < 8; ++k) {
          q[k] = vminq_s32(vcvtnq_s32_f32(vmulq_n_f32(vld1q_f32(x + 32 * g + 4 * k), iscale)), vdupq_n_s32(127));
        }
        narrow_store(q, y[i].qs + 32 * g);
        if (out.quad_nsum) group_side(y[i].qs + 32 * g, out.quad_nsum + 64 * i + 8 * g);
        y[i].bsums[2 * g] = static_cast<int16_t>(vaddlvq_s8(vld1q_s8(y[i].qs + 32 * g)));
        y[i].bsums[2 * g + 1] = static_cast<int16_t>(vaddlvq_s8(vld1q_s8(y[i].qs + 32 * g + 16)));
      }
      y[i].d = 1 / iscale;
    }
    if (out.group_d) {
      for (int g = 0; g < kQK / 32; ++g) {
        out.group_d[8 * i + g] = y[i].d;
        out.group_sum[8 * i + g] = y[i].bsums[2 * g] + y[i].bsums[2 * g + 1];
      }
    }
  }
}

void quantize_f16(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<uint16_t*>(out.row);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) vst1_u16(y + i, vreinterpret_u16_f16(vcvt_f16_f32(vld1q_f32(x + i))));
  for (; i < n; ++i) y[i] = f32_to_f16(x[i]);
}

void quantize_bf16(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<uint16_t*>(out.row);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const uint32x4_t u = vreinterpretq_u32_f32(vld1q_f32(x + i));
    const uint32x4_t lsb = vandq_u32(vshrq_n_u32(u, 16), vdupq_n_u32(1));
    const uint32x4_t r = vshrq_n_u32(vaddq_u32(u, vaddq_u32(lsb, vdupq_n_u32(0x7fff))), 16);
    const uint32x4_t nan = vorrq_u32(vshrq_n_u32(u, 16), vdupq_n_u32(64));
    const uint32x4_t is_nan = vcgtq_u32(vandq_u32(u, vdupq_n_u32(0x7fffffff)), vdupq_n_u32(0x7f800000));
    vst1_u16(y + i, vmovn_u32(vbslq_u32(is_nan, nan, r)));
  }
  for (; i < n; ++i) y[i] = f32_to_bf16(x[i]);
}

}  // namespace

void register_acts_neon(KernelTable& t) {
  auto set = [&](GgmlType act, QuantizeRowFn ref, QuantizeRowFn x86) {
    t.quantize[static_cast<uint32_t>(act)] = {ref, x86};
  };
  set(GgmlType::Q8_0, quantize_q8_0<ActRounding::kReference>, quantize_q8_0<ActRounding::kLlamaX86>);
  set(GgmlType::Q8_1, quantize_q8_1<ActRounding::kReference>, quantize_q8_1<ActRounding::kLlamaX86>);
  set(GgmlType::Q8_K, quantize_q8_K, quantize_q8_K);
  set(GgmlType::F16, quantize_f16, quantize_f16);
  set(GgmlType::BF16, quantize_bf16, quantize_bf16);
}

}  // namespace hako
