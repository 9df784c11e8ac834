// AVX2 activation quantizers: f32 -> q8_0 / q8_1 (both roundings), q8_K,
// f16, bf16, byte-identical to the quant/ reference functions (tested in
// tests/kernels). Exactness comes from doing the same IEEE operations in the
// same order per element: the scale is computed in scalar code exactly as
// the reference does, each element is one multiply, and the rounding is
// reproduced bit for bit (roundf via trunc + half test, ties-to-even via
// cvtps). The AVX-512 level uses these too (quantization is a small cost).
#include "kernels/registry.h"
#include "kernels/x86/avx_common.h"
#include "quant/blocks.h"

namespace hako {
namespace {

using x86::hmax;

const __m256 kAbsMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));

// roundf(): round half away from zero, exact for every float.
inline __m256 round_away(__m256 v) {
  const __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const __m256 frac = _mm256_and_ps(_mm256_sub_ps(v, t), kAbsMask);
  const __m256 one = _mm256_or_ps(_mm256_set1_ps(1.0f), _mm256_andnot_ps(kAbsMask, v));  // copysign(1, v)
  return _mm256_add_ps(t, _mm256_and_ps(_mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ), one));
}

// 32 int32 (4 vectors, element order) -> 32 int8 with saturation, element order.
inline __m256i pack_32(__m256i a, __m256i b, __m256i c, __m256i d) {
  const __m256i ab = _mm256_packs_epi32(a, b), cd = _mm256_packs_epi32(c, d);
  const __m256i abcd = _mm256_packs_epi16(ab, cd);
  return _mm256_permutevar8x32_epi32(abcd, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

// Sums of each 4 consecutive codes of a 32-code group (8 int32 lanes).
inline __m256i quad_sums(const int8_t* qs) {
  const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs));
  return _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q), _mm256_set1_epi16(1));
}

// Side data of group g of a row: minus the quad sums (if wanted); returns the group sum.
inline int32_t group_side(const int8_t* qs, const ActRowOut& out, int64_t g) {
  const __m256i v = quad_sums(qs);
  if (out.quad_nsum) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.quad_nsum + 8 * g), _mm256_sub_epi32(_mm256_setzero_si256(), v));
  }
  return x86::hsum_i32(v);
}

// One 32-element group: writes the codes, returns the f32 scale d (unrounded).
template <ActRounding kR>
inline float quantize_group(const float* x, int8_t* qs) {
  __m256 v[4];
  __m256 m = _mm256_setzero_ps();
  for (int k = 0; k < 4; ++k) {
    v[k] = _mm256_loadu_ps(x + 8 * k);
    m = _mm256_max_ps(m, _mm256_and_ps(v[k], kAbsMask));
  }
  const float amax = hmax(m);
  const float d = amax / 127;
  float id;
  if constexpr (kR == ActRounding::kReference) id = d != 0.0f ? 1.0f / d : 0.0f;
  else id = amax != 0.0f ? 127.f / amax : 0.0f;
  const __m256 idv = _mm256_set1_ps(id);
  __m256i q[4];
  for (int k = 0; k < 4; ++k) {
    const __m256 p = _mm256_mul_ps(v[k], idv);
    q[k] = kR == ActRounding::kReference ? _mm256_cvttps_epi32(round_away(p)) : _mm256_cvtps_epi32(p);
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(qs), pack_32(q[0], q[1], q[2], q[3]));
  return d;
}

template <ActRounding kR>
void quantize_q8_0(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<BlockQ8_0*>(out.row);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = quantize_group<kR>(x + 32 * i, y[i].qs);
    y[i].d = _cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
    if (out.group_d) {
      out.group_d[i] = _cvtsh_ss(y[i].d);
      out.group_sum[i] = group_side(y[i].qs, out, i);
    }
  }
}

template <ActRounding kR>
void quantize_q8_1(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<BlockQ8_1*>(out.row);
  for (int64_t i = 0; i < n / 32; ++i) {
    const float d = quantize_group<kR>(x + 32 * i, y[i].qs);
    const int32_t sum = x86::hsum_i32(quad_sums(y[i].qs));
    y[i].d = _cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
    y[i].s = _cvtss_sh(static_cast<float>(sum) * d, _MM_FROUND_TO_NEAREST_INT);
    if (out.group_d) {
      out.group_d[i] = _cvtsh_ss(y[i].d);
      out.group_sum[i] = group_side(y[i].qs, out, i);
    }
  }
}

// q8_K: max is the signed value of the first element of largest magnitude,
// iscale = -127/max, q = min(127, nearest_int(iscale * x)), d = 1/iscale.
void quantize_q8_K(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<BlockQ8_K*>(out.row);
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    __m256 m = _mm256_setzero_ps();
    for (int k = 0; k < kQK / 8; ++k) m = _mm256_max_ps(m, _mm256_and_ps(_mm256_loadu_ps(x + 8 * k), kAbsMask));
    const float amax = hmax(m);
    if (amax == 0.0f) {
      std::memset(&y[i], 0, sizeof(BlockQ8_K));
      if (out.quad_nsum) std::memset(out.quad_nsum + 64 * i, 0, 64 * sizeof(int32_t));
    } else {
      float max = 0.0f;
      const __m256 am = _mm256_set1_ps(amax);
      for (int k = 0; k < kQK / 8; ++k) {
        const int hit = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_and_ps(_mm256_loadu_ps(x + 8 * k), kAbsMask), am, _CMP_EQ_OQ));
        if (hit) {
          max = x[8 * k + __builtin_ctz(static_cast<unsigned>(hit))];
          break;
        }
      }
      const float iscale = -127.f / max;
      const __m256 is = _mm256_set1_ps(iscale);
      const __m256i k127 = _mm256_set1_epi32(127);
      for (int g = 0; g < kQK / 32; ++g) {
        __m256i q[4];
        for (int k = 0; k < 4; ++k) {
          q[k] = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(is, _mm256_loadu_ps(x + 32 * g + 8 * k))), k127);
        }
        const __m256i q8 = pack_32(q[0], q[1], q[2], q[3]);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(y[i].qs + 32 * g), q8);
        // Quad sums; the bsums of the two 16-element halves are lanes 0..3 and 4..7.
        const __m256i s32 = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q8), _mm256_set1_epi16(1));
        if (out.quad_nsum) {
          _mm256_storeu_si256(reinterpret_cast<__m256i*>(out.quad_nsum + 64 * i + 8 * g),
                              _mm256_sub_epi32(_mm256_setzero_si256(), s32));
        }
        const __m128i h = _mm_add_epi32(_mm256_castsi256_si128(s32), _mm_shuffle_epi32(_mm256_castsi256_si128(s32), 0x4e));
        const __m128i hh = _mm256_extracti128_si256(s32, 1);
        const __m128i h2 = _mm_add_epi32(hh, _mm_shuffle_epi32(hh, 0x4e));
        y[i].bsums[2 * g] = static_cast<int16_t>(_mm_cvtsi128_si32(h) + _mm_extract_epi32(h, 1));
        y[i].bsums[2 * g + 1] = static_cast<int16_t>(_mm_cvtsi128_si32(h2) + _mm_extract_epi32(h2, 1));
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
  for (; i + 8 <= n; i += 8) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
  }
  for (; i < n; ++i) y[i] = f32_to_f16(x[i]);
}

// Round to nearest even on the upper 16 bits; NaN -> quiet NaN (as fp16.h).
void quantize_bf16(const float* x, int64_t n, const ActRowOut& out) {
  auto* y = static_cast<uint16_t*>(out.row);
  int64_t i = 0;
  const __m256i abs_mask = _mm256_set1_epi32(0x7fffffff), inf = _mm256_set1_epi32(0x7f800000);
  for (; i + 8 <= n; i += 8) {
    const __m256i u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));
    const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1));
    const __m256i r = _mm256_srli_epi32(_mm256_add_epi32(u, _mm256_add_epi32(lsb, _mm256_set1_epi32(0x7fff))), 16);
    const __m256i nan = _mm256_or_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(64));
    const __m256i is_nan = _mm256_cmpgt_epi32(_mm256_and_si256(u, abs_mask), inf);
    const __m256i v = _mm256_blendv_epi8(r, nan, is_nan);
    const __m128i p = _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), p);
  }
  for (; i < n; ++i) y[i] = f32_to_bf16(x[i]);
}

}  // namespace

void register_acts_avx2(KernelTable& t) {
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
