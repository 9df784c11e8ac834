// Direct (fused unpack-and-dot) x86 kernels for the 256-element super-block
// formats paired with q8_K activations: q2_K, q3_K, q4_K, q5_K, q6_K,
// iq4_xs. A Dequantizer per format decodes a super-block's scales once and
// then yields, for each 32-element chunk, 32 byte codes and a vector of
// int16 sub-block scales; one loop templated on the token count (1..8)
// multiplies each chunk with every token (maddubs), applies the integer
// scales (madd / vpdpwssd) and converts to float once per super-block.
// Offsets (q6_K's -32, q3_K's -4) are applied to the codes, so int32 lanes
// hold partial sums of true products (see legacy_kernels.h). Included by
// kquants_avx2.cpp and kquants_avx512.cpp; internal linkage only.
#pragma once

#include "kernels/x86/avx_common.h"
#include "quant/blocks.h"

namespace hako::x86 {
namespace {

// 16 int16: scale byte 2p in the low half, byte 2p+1 in the high half, from
// 16 int8 scales (signed).
inline __m256i scale_pair16(__m128i scales8, int p) {
  const __m128i idx = _mm_set_epi64x(0x0101010101010101ll * (2 * p + 1), 0x0101010101010101ll * (2 * p));
  return _mm256_cvtepi8_epi16(_mm_shuffle_epi8(scales8, idx));
}

// q4_K / q5_K packing of 8 6-bit scales and mins into 12 bytes -> 8 scale
// bytes then 8 min bytes (ggml's utmp reshuffle).
inline void unpack_scales_k4(const uint8_t* packed, uint8_t out[16]) {
  uint32_t u[4];
  std::memcpy(u, packed, 12);
  constexpr uint32_t kM1 = 0x3f3f3f3f, kM2 = 0x0f0f0f0f, kM3 = 0x03030303;
  u[3] = ((u[2] >> 4) & kM2) | (((u[1] >> 6) & kM3) << 4);
  const uint32_t mins_lo = u[1] & kM1;
  u[1] = (u[2] & kM2) | (((u[0] >> 6) & kM3) << 4);
  u[2] = mins_lo;
  u[0] &= kM1;
  // now u[0..1] = scales 0..7, u[2..3] = mins 0..7
  std::memcpy(out, u, 16);
}

// Σ_k mins16[k] * bsums[k] over the 16 bsums of a q8_K block.
inline int32_t bsum_dot(const int16_t* bsums, __m256i mins16) {
  return hsum_i32(_mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(bsums)), mins16));
}

struct DeqQ4_K {
  static constexpr bool kSigned = false, kMin = true;
  explicit DeqQ4_K(const BlockQ4_K& b) : blk(b), d(f16_scalar(b.d)), dmin(f16_scalar(b.dmin)) {
    unpack_scales_k4(b.scales, sm);
    const __m256i s32 = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(sm)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(sc_pairs), _mm256_or_si256(s32, _mm256_slli_epi32(s32, 16)));
    const __m128i m8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(sm + 8));
    mins16 = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));  // m0 m0 m1 m1 ... (one per bsum)
  }
  __m256i codes(int c) const {
    const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qs + 32 * (c / 2)));
    return _mm256_and_si256(c & 1 ? _mm256_srli_epi16(q, 4) : q, _mm256_set1_epi8(0x0F));
  }
  __m256i scale16(int c) const { return _mm256_set1_epi32(sc_pairs[c]); }
  int32_t min_dot(const int16_t* bsums) const { return bsum_dot(bsums, mins16); }
  // Float scale and min of chunk c (both 16-element halves alike), for the GEMM unpack.
  static constexpr bool kHalves = false;
  float group_scale(int c, int) const { return d * sm[c]; }
  float group_min(int c, int) const { return dmin * sm[8 + c]; }
  const BlockQ4_K& blk;
  uint8_t sm[16];  // 8 scales, 8 mins
  int32_t sc_pairs[8];  // scale c in both int16 halves
  __m256i mins16;
  float d, dmin;
};

struct DeqQ5_K : DeqQ4_K {
  explicit DeqQ5_K(const BlockQ5_K& b)
      : DeqQ4_K(reinterpret_cast<const BlockQ4_K&>(b)), qs(b.qs),
        qh(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh))) {}
  __m256i codes(int c) const {
    const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs + 32 * (c / 2)));
    const __m256i lo = _mm256_and_si256(c & 1 ? _mm256_srli_epi16(q, 4) : q, _mm256_set1_epi8(0x0F));
    const __m256i hb = _mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(c)), _mm256_set1_epi8(1));
    return _mm256_or_si256(lo, _mm256_slli_epi16(hb, 4));
  }
  const uint8_t* qs;
  __m256i qh;
};

struct DeqQ6_K {
  static constexpr bool kSigned = true, kMin = false;
  explicit DeqQ6_K(const BlockQ6_K& b)
      : blk(b), scales8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales))), d(f16_scalar(b.d)) {}
  // Chunk c = elements 32c..32c+31: half h = c/4, k = c%4.
  __m256i codes(int c) const {
    const int h = c / 4, k = c % 4;
    const __m256i ql = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.ql + 64 * h + 32 * (k & 1)));
    const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qh + 32 * h));
    const __m256i lo = _mm256_and_si256(k >= 2 ? _mm256_srli_epi16(ql, 4) : ql, _mm256_set1_epi8(0x0F));
    const __m256i hi = _mm256_and_si256(_mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * k)), _mm256_set1_epi8(3));
    return _mm256_sub_epi8(_mm256_or_si256(lo, _mm256_slli_epi16(hi, 4)), _mm256_set1_epi8(32));
  }
  __m256i scale16(int c) const { return scale_pair16(scales8, c); }
  int32_t min_dot(const int16_t*) const { return 0; }
  static constexpr bool kHalves = true;
  float group_scale(int c, int h) const { return d * blk.scales[2 * c + h]; }
  float group_min(int, int) const { return 0.0f; }
  const BlockQ6_K& blk;
  __m128i scales8;
  float d, dmin = 0.0f;
};

struct DeqQ3_K {
  static constexpr bool kSigned = true, kMin = false;
  explicit DeqQ3_K(const BlockQ3_K& b)
      : blk(b), hmask(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.hmask))), d(f16_scalar(b.d)) {
    uint32_t a[3], u[4];
    std::memcpy(a, b.scales, 12);
    constexpr uint32_t kM1 = 0x03030303, kM2 = 0x0f0f0f0f;
    u[0] = (a[0] & kM2) | (((a[2] >> 0) & kM1) << 4);
    u[1] = (a[1] & kM2) | (((a[2] >> 2) & kM1) << 4);
    u[2] = ((a[0] >> 4) & kM2) | (((a[2] >> 4) & kM1) << 4);
    u[3] = ((a[1] >> 4) & kM2) | (((a[2] >> 6) & kM1) << 4);
    scales8 = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(u)), _mm_set1_epi8(32));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(s8), scales8);
  }
  // Chunk c: half h = c/4, shift j = c%4; high bit 4h+j of hmask[l].
  __m256i codes(int c) const {
    const int h = c / 4, j = c % 4;
    const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qs + 32 * h));
    const __m256i lo = _mm256_and_si256(_mm256_srl_epi16(q, _mm_cvtsi32_si128(2 * j)), _mm256_set1_epi8(3));
    const __m256i hb = _mm256_and_si256(_mm256_srl_epi16(hmask, _mm_cvtsi32_si128(4 * h + j)), _mm256_set1_epi8(1));
    return _mm256_sub_epi8(_mm256_or_si256(lo, _mm256_slli_epi16(hb, 2)), _mm256_set1_epi8(4));
  }
  __m256i scale16(int c) const { return scale_pair16(scales8, c); }
  int32_t min_dot(const int16_t*) const { return 0; }
  static constexpr bool kHalves = true;
  float group_scale(int c, int h) const { return d * s8[2 * c + h]; }
  float group_min(int, int) const { return 0.0f; }
  const BlockQ3_K& blk;
  __m256i hmask;
  __m128i scales8;
  int8_t s8[16];
  float d, dmin = 0.0f;
};

struct DeqQ2_K {
  static constexpr bool kSigned = false, kMin = true;
  explicit DeqQ2_K(const BlockQ2_K& b) : blk(b), d(f16_scalar(b.d)), dmin(f16_scalar(b.dmin)) {
    const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
    scales8 = _mm_and_si128(s, _mm_set1_epi8(0x0F));
    mins16 = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(s, 4), _mm_set1_epi8(0x0F)));
  }
  __m256i codes(int c) const {
    const int h = c / 4, j = c % 4;
    const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qs + 32 * h));
    return _mm256_and_si256(_mm256_srl_epi16(q, _mm_cvtsi32_si128(2 * j)), _mm256_set1_epi8(3));
  }
  __m256i scale16(int c) const { return scale_pair16(scales8, c); }
  int32_t min_dot(const int16_t* bsums) const { return bsum_dot(bsums, mins16); }
  static constexpr bool kHalves = true;
  float group_scale(int c, int h) const { return d * (blk.scales[2 * c + h] & 0xF); }
  float group_min(int c, int h) const { return dmin * (blk.scales[2 * c + h] >> 4); }
  const BlockQ2_K& blk;
  __m128i scales8;
  __m256i mins16;
  float d, dmin;
};

struct DeqIQ4_XS {
  static constexpr bool kSigned = true, kMin = false;
  explicit DeqIQ4_XS(const BlockIQ4_XS& b) : blk(b), d(f16_scalar(b.d)) {}
  __m256i codes(int c) const { return lookup16_k(blk.qs + 16 * c); }
  int ls(int c) const { return ((blk.scales_l[c / 2] >> (4 * (c % 2))) & 0xF) | (((blk.scales_h >> (2 * c)) & 3) << 4); }
  __m256i scale16(int c) const { return _mm256_set1_epi16(static_cast<int16_t>(ls(c) - 32)); }
  int32_t min_dot(const int16_t*) const { return 0; }
  static constexpr bool kHalves = false;
  float group_scale(int c, int) const { return d * static_cast<float>(ls(c) - 32); }
  float group_min(int, int) const { return 0.0f; }
  static __m256i lookup16_k(const uint8_t* qs) {
    const __m256i t = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kIq4nlValues)));
    return _mm256_shuffle_epi8(t, unpack_nibbles(qs));
  }
  const BlockIQ4_XS& blk;
  float d, dmin = 0.0f;
};

// ---- the accumulation loop -------------------------------------------------

template <class Deq, class Block>
struct KQuant {
  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    constexpr int kChains = NX == 1 ? 4 : NX == 2 ? 2 : 1;  // independent int accumulators per token
    const int64_t nsb = t.n_in / kQK;
    const BlockQ8_K* xb[NX];
    for (int j = 0; j < NX; ++j) xb[j] = reinterpret_cast<const BlockQ8_K*>(act_row(*t.x, tok0 + j).blocks);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const Block*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      __m256 acc[NX], acc_min[NX];
      for (int j = 0; j < NX; ++j) acc[j] = acc_min[j] = _mm256_setzero_ps();
      for (int64_t i = 0; i < nsb; ++i) {
        const Deq deq(wb[i]);
        __m256i sumi[kChains][NX];
        for (int c = 0; c < kChains; ++c) {
          for (int j = 0; j < NX; ++j) sumi[c][j] = _mm256_setzero_si256();
        }
#pragma GCC unroll 8
        for (int c = 0; c < 8; ++c) {
          const __m256i q = deq.codes(c);
          const __m256i qu = Deq::kSigned ? _mm256_sign_epi8(q, q) : q;
          const __m256i sc = deq.scale16(c);
          for (int j = 0; j < NX; ++j) {
            __m256i xq = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[j][i].qs + 32 * c));
            if constexpr (Deq::kSigned) xq = _mm256_sign_epi8(xq, q);
            sumi[c % kChains][j] = dot_i16(sumi[c % kChains][j], _mm256_maddubs_epi16(qu, xq), sc);
          }
        }
        for (int j = 0; j < NX; ++j) {
          __m256i s = sumi[0][j];
          for (int c = 1; c < kChains; ++c) s = _mm256_add_epi32(s, sumi[c][j]);
          acc[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(deq.d * xb[j][i].d), acc[j]);
          if constexpr (Deq::kMin) {
            const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[j][i].bsums));
            const __m256 m = _mm256_cvtepi32_ps(_mm256_madd_epi16(bs, deq.mins16));
            acc_min[j] = _mm256_fmadd_ps(m, _mm256_set1_ps(deq.dmin * xb[j][i].d), acc_min[j]);
          }
        }
      }
      for (int j = 0; j < NX; ++j) t.y[(tok0 + j) * t.y_stride + r] = hsum(_mm256_sub_ps(acc[j], acc_min[j]));
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { for_token_chunks<KQuant>(t, row0, row1); }
};

inline void register_kquants(KernelTable& kt) {
  auto set = [&](GgmlType type, MulMatFn fn) { kt.types[static_cast<uint32_t>(type)].mul_mat = fn; };
  set(GgmlType::Q2_K, KQuant<DeqQ2_K, BlockQ2_K>::mul_mat);
  set(GgmlType::Q3_K, KQuant<DeqQ3_K, BlockQ3_K>::mul_mat);
  set(GgmlType::Q4_K, KQuant<DeqQ4_K, BlockQ4_K>::mul_mat);
  set(GgmlType::Q5_K, KQuant<DeqQ5_K, BlockQ5_K>::mul_mat);
  set(GgmlType::Q6_K, KQuant<DeqQ6_K, BlockQ6_K>::mul_mat);
  set(GgmlType::IQ4_XS, KQuant<DeqIQ4_XS, BlockIQ4_XS>::mul_mat);
}

}  // namespace
}  // namespace hako::x86
