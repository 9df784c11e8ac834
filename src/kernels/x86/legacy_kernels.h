// Direct (fused unpack-and-dot) x86 kernels for the 32-element block formats
// paired with q8_0 / q8_1 activations: q4_0, q4_1, q5_0, q5_1, q8_0, iq4_nl,
// mxfp4. iqk's shape: a Dequantizer per format turns one weight block into
// 32 byte codes plus a scale (and a min), and one accumulation loop,
// templated on the number of tokens NX (1..8), multiplies the unpacked block
// with NX tokens. Decode (NX = 1) and small batches share this code.
// Included by legacy_avx2.cpp (maddubs) and legacy_avx512.cpp (vpdpbusd);
// internal linkage only (see avx_common.h). Not here: the GEMM tiles for
// large batches (gemm_avx512.cpp).
#pragma once

#include "kernels/x86/avx_common.h"
#include "quant/blocks.h"

namespace hako::x86 {
namespace {

// ---- dequantizers: codes(block) -> 32 bytes in element order ---------------
// kSigned: codes are the signed values (value = scale * code); else codes are
// unsigned and value = scale * code + min (kMin). Offsets such as q4_0's -8
// are applied to the codes, not folded into a correction term: each int32
// lane then holds a partial sum of true products, so the float rounding
// error stays relative to the true magnitude (as in the reference).

struct DeqQ4_0 {
  using Block = BlockQ4_0;
  static constexpr bool kSigned = true, kMin = false;
  static __m256i codes(const Block& b) { return _mm256_sub_epi8(unpack_nibbles(b.qs), _mm256_set1_epi8(8)); }
  static float scale(const Block& b) { return f16_scalar(b.d); }
};

struct DeqQ4_1 {
  using Block = BlockQ4_1;
  static constexpr bool kSigned = false, kMin = true;
  static __m256i codes(const Block& b) { return unpack_nibbles(b.qs); }
  static float scale(const Block& b) { return f16_scalar(b.d); }
  static float min(const Block& b) { return f16_scalar(b.m); }
};

// 0x10 in every byte whose bit is set in the 32-bit little-endian mask.
inline __m256i high_bits_x16(const uint8_t* qh) {
  uint32_t bits;
  std::memcpy(&bits, qh, 4);
  const __m256i spread = _mm256_shuffle_epi8(
      _mm256_set1_epi32(static_cast<int>(bits)),
      _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
  const __m256i sel = _mm256_set1_epi64x(static_cast<int64_t>(0x8040201008040201ull));
  return _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(spread, sel), sel), _mm256_set1_epi8(0x10));
}

struct DeqQ5_0 {
  using Block = BlockQ5_0;
  static constexpr bool kSigned = true, kMin = false;
  static __m256i codes(const Block& b) {
    return _mm256_sub_epi8(_mm256_or_si256(unpack_nibbles(b.qs), high_bits_x16(b.qh)), _mm256_set1_epi8(16));
  }
  static float scale(const Block& b) { return f16_scalar(b.d); }
};

struct DeqQ5_1 {
  using Block = BlockQ5_1;
  static constexpr bool kSigned = false, kMin = true;
  static __m256i codes(const Block& b) { return _mm256_or_si256(unpack_nibbles(b.qs), high_bits_x16(b.qh)); }
  static float scale(const Block& b) { return f16_scalar(b.d); }
  static float min(const Block& b) { return f16_scalar(b.m); }
};

struct DeqQ8_0 {
  using Block = BlockQ8_0;
  static constexpr bool kSigned = true, kMin = false;
  static __m256i codes(const Block& b) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)); }
  static float scale(const Block& b) { return f16_scalar(b.d); }
};

inline __m256i lookup16(const int8_t* table, const uint8_t* qs) {
  const __m256i t = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(table)));
  return _mm256_shuffle_epi8(t, unpack_nibbles(qs));
}

struct DeqIQ4_NL {
  using Block = BlockIQ4_NL;
  static constexpr bool kSigned = true, kMin = false;
  static __m256i codes(const Block& b) { return lookup16(kIq4nlValues, b.qs); }
  static float scale(const Block& b) { return f16_scalar(b.d); }
};

struct DeqMXFP4 {
  using Block = BlockMXFP4;
  static constexpr bool kSigned = true, kMin = false;
  static __m256i codes(const Block& b) { return lookup16(kMxfp4Values, b.qs); }
  // 2^(e-128), exactly as quant/mxfp4.cpp's e8m0_half.
  static float scale(const Block& b) {
    const uint32_t bits = b.e < 2 ? (0x00200000u << b.e) : (static_cast<uint32_t>(b.e - 1) << 23);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
};

// ---- the accumulation loop -------------------------------------------------

template <class Deq>
struct Legacy32 {
  static constexpr bool kQ81 = Deq::kMin;  // q4_1 / q5_1 pair with q8_1
  static constexpr size_t kActBlock = kQ81 ? sizeof(BlockQ8_1) : sizeof(BlockQ8_0);
  static constexpr size_t kActQs = kQ81 ? offsetof(BlockQ8_1, qs) : offsetof(BlockQ8_0, qs);

  // Integer dot of one weight block (codes q, qu = |q| or q) with one token's block.
  static __m256i block_dot(__m256i q, __m256i qu, const ActRow& xr, int64_t b) {
    const __m256i xq = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr.blocks + b * kActBlock + kActQs));
    if constexpr (Deq::kSigned) return dot_u8s8(_mm256_setzero_si256(), qu, _mm256_sign_epi8(xq, q));
    return dot_u8s8(_mm256_setzero_si256(), qu, xq);
  }

  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    using Block = typename Deq::Block;
    constexpr int kSets = NX <= 2 ? 2 : 1;  // independent accumulators hide FMA latency
    const int64_t nb = t.n_in / 32;
    ActRow xr[NX];
    for (int j = 0; j < NX; ++j) xr[j] = act_row(*t.x, tok0 + j);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const Block*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      __m256 acc[kSets][NX];
      float acc_min[NX] = {};
      for (int s = 0; s < kSets; ++s) {
        for (int j = 0; j < NX; ++j) acc[s][j] = _mm256_setzero_ps();
      }
      // One block into accumulator set `set` (unrolled so every index is constant).
      auto step = [&](int64_t b, __m256* acc_set) __attribute__((always_inline)) {
        const __m256i q = Deq::codes(wb[b]);
        __m256i qu = q;
        if constexpr (Deq::kSigned) qu = _mm256_sign_epi8(q, q);
        const __m256 dw = _mm256_set1_ps(Deq::scale(wb[b]));
        for (int j = 0; j < NX; ++j) {
          const __m256i p = block_dot(q, qu, xr[j], b);
          const __m256 dd = _mm256_mul_ps(dw, _mm256_broadcast_ss(xr[j].d + b));
          acc_set[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), dd, acc_set[j]);
          if constexpr (Deq::kMin) {
            const auto& xb = *reinterpret_cast<const BlockQ8_1*>(xr[j].blocks + b * kActBlock);
            acc_min[j] += Deq::min(wb[b]) * f16_scalar(xb.s);
          }
        }
      };
      int64_t b = 0;
      for (; b + kSets <= nb; b += kSets) {
        step(b, acc[0]);
        if constexpr (kSets == 2) step(b + 1, acc[1]);
      }
      for (; b < nb; ++b) step(b, acc[0]);
      for (int j = 0; j < NX; ++j) {
        const __m256 a = kSets == 2 ? _mm256_add_ps(acc[0][j], acc[kSets - 1][j]) : acc[0][j];
        t.y[(tok0 + j) * t.y_stride + r] = hsum(a) + acc_min[j];
      }
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { for_token_chunks<Legacy32>(t, row0, row1); }
};

// Registers the direct kernels of every 32-element format in `kt`.
inline void register_legacy(KernelTable& kt) {
  auto set = [&](GgmlType type, MulMatFn fn) { kt.types[static_cast<uint32_t>(type)].mul_mat = fn; };
  set(GgmlType::Q4_0, Legacy32<DeqQ4_0>::mul_mat);
  set(GgmlType::Q4_1, Legacy32<DeqQ4_1>::mul_mat);
  set(GgmlType::Q5_0, Legacy32<DeqQ5_0>::mul_mat);
  set(GgmlType::Q5_1, Legacy32<DeqQ5_1>::mul_mat);
  set(GgmlType::Q8_0, Legacy32<DeqQ8_0>::mul_mat);
  set(GgmlType::IQ4_NL, Legacy32<DeqIQ4_NL>::mul_mat);
  set(GgmlType::MXFP4, Legacy32<DeqMXFP4>::mul_mat);
}

}  // namespace
}  // namespace hako::x86
