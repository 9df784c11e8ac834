// Small AVX2 helpers shared by the x86 kernel files (horizontal sums, f16
// scale loads, the u8 x s8 dot products with and without VNNI). Included only
// by x86 kernel .cpp files, each compiled with its own ISA flags; everything
// here has internal linkage (anonymous namespace) so that the copies built
// with different flags can never be merged by the linker.
#pragma once

#if !defined(__AVX2__) || !defined(__FMA__) || !defined(__F16C__)
#error "x86 kernel files are compiled with at least -mavx2 -mfma -mf16c"
#endif

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/token_chunks.h"

namespace hako::x86 {
namespace {

using kernel_detail::act_row;
using kernel_detail::ActRow;
using kernel_detail::for_token_chunks;

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline int32_t hsum_i32(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
  return _mm_cvtsi128_si32(s);
}

inline float hmax(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

// One IEEE half (raw bits) to float, exactly.
inline float f16_scalar(uint16_t h) { return _cvtsh_ss(h); }

inline uint16_t load_u16(const void* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

// 16 bytes holding 32 nibbles -> 32 bytes: low nibbles first, then high ones
// (the q4_0 / q4_1 / iq4_nl element order).
inline __m256i unpack_nibbles(const uint8_t* p) {
  const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m256i both = _mm256_set_m128i(_mm_srli_epi16(q, 4), q);
  return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

// Sum of products of unsigned bytes `u` and signed bytes `s`, in 8 int32
// lanes (4 products each), added to `acc`. Without VNNI the pairwise int16
// step saturates unless u * |s| * 2 < 32768: callers keep u <= 127 there.
inline __m256i dot_u8s8(__m256i acc, __m256i u, __m256i s) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
  return _mm256_dpbusd_epi32(acc, u, s);
#else
  const __m256i p16 = _mm256_maddubs_epi16(u, s);
  return _mm256_add_epi32(acc, _mm256_madd_epi16(p16, _mm256_set1_epi16(1)));
#endif
}

// acc + pairwise sums of int16 products a*b (8 int32 lanes).
inline __m256i dot_i16(__m256i acc, __m256i a, __m256i b) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
  return _mm256_dpwssd_epi32(acc, a, b);
#else
  return _mm256_add_epi32(acc, _mm256_madd_epi16(a, b));
#endif
}

// True when this file is compiled with AVX-512 VNNI (the vpdpbusd path).
inline constexpr bool kVnni =
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    true;
#else
    false;
#endif

}  // namespace
}  // namespace hako::x86
