// AVX-512 VNNI direct kernels for the formats that dominate decode time:
// q4_0, q4_1, q5_0, q5_1 (VNNI-only tricks on 256-bit vectors) and q4_K,
// q5_K, q6_K (two 32-chunks per zmm). They replace the shared AVX2-shaped
// kernels of this level for small batches (1..7 tokens; larger batches take
// the GEMM). The point is fewer vector ops per weight byte, so that two
// threads keep up with DRAM (measured per format in bench/kernels; on Zen 4
// zmm ops are double-pumped, so only the instruction count shrinks).
// Exactness: every int32 lane holds a partial sum of true products (offsets
// corrected in the integer domain), as in the reference.
#include "base/fp16.h"
#include "kernels/registry.h"
#include "kernels/x86/avx_common.h"
#include "kernels/x86/kquant_kernels.h"
#include "quant/blocks.h"

// GCC 12's _mm512_cvtepi32_ps passes an undefined vector as the merge source,
// which -Wmaybe-uninitialized reports at every inlined use (a false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace hako {
namespace {

using x86::act_row;
using x86::ActRow;
using x86::for_token_chunks;

// ---- q4_0, q4_1, q5_0, q5_1: one 32-block per ymm, VNNI --------------------
// The weight codes stay unsigned and the offset (8 or 16) is corrected
// exactly in every int32 lane by starting vpdpbusd from -offset * (sum of the
// 4 activation codes of that lane) (QuantizedActs::quad_nsum), instead of
// the sign trick's two extra ops per block. For the pure 4-bit formats the
// nibbles are not even unpacked: the 16 bytes are broadcast to both halves
// and masked with 0x0F / 0xF0, so the upper 4 lanes come out 16 times too
// large; that exact power of two is divided out once per row at the end.

template <class Block, int kOffset, bool kMask, bool kMin>
struct NibVnni {
  static constexpr size_t kActBlock = kMin ? sizeof(BlockQ8_1) : sizeof(BlockQ8_0);
  static constexpr size_t kActQs = kMin ? offsetof(BlockQ8_1, qs) : offsetof(BlockQ8_0, qs);

  static __m256i codes(const Block& b) {
    const __m256i q = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.qs)));
    if constexpr (kMask) {
      return _mm256_and_si256(q, _mm256_setr_m128i(_mm_set1_epi8(0x0F), _mm_set1_epi8(static_cast<char>(0xF0))));
    } else {
    const __m256i lo_hi = _mm256_and_si256(_mm256_srlv_epi16(q, _mm256_setr_m128i(_mm_setzero_si128(), _mm_set1_epi16(4))),
                                           _mm256_set1_epi8(0x0F));
    uint32_t qh;
    std::memcpy(&qh, b.qh, 4);
    return _mm256_or_si256(lo_hi, _mm256_maskz_mov_epi8(qh, _mm256_set1_epi8(0x10)));
    }
  }

  // -kOffset * (lane's activation sum), times 16 in the upper lanes for kMask.
  static __m256i init(const int32_t* qnsum) {
    if constexpr (kOffset == 0) {
      return _mm256_setzero_si256();
    } else {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qnsum));
      if constexpr (kMask) return _mm256_sllv_epi32(v, _mm256_setr_epi32(3, 3, 3, 3, 7, 7, 7, 7));
      return _mm256_slli_epi32(v, kOffset == 16 ? 4 : 3);
    }
  }

  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    const int64_t nb = t.n_in / 32;
    ActRow xr[NX];
    for (int j = 0; j < NX; ++j) xr[j] = act_row(*t.x, tok0 + j);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const Block*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      __m256 acc[2][NX];
      float acc_min[NX] = {};
      for (int j = 0; j < NX; ++j) acc[0][j] = acc[1][j] = _mm256_setzero_ps();
      auto step = [&](int64_t b, __m256* acc_set) __attribute__((always_inline)) {
        const __m256i q = codes(wb[b]);
        const __m256 dw = _mm256_cvtph_ps(_mm_set1_epi16(static_cast<int16_t>(wb[b].d)));
        for (int j = 0; j < NX; ++j) {
          const __m256i xq = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j].blocks + b * kActBlock + kActQs));
          const __m256i p = _mm256_dpbusd_epi32(init(xr[j].qnsum + 8 * b), q, xq);
          acc_set[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_mul_ps(dw, _mm256_broadcast_ss(xr[j].d + b)), acc_set[j]);
          if constexpr (kMin) {
            const auto& xb = reinterpret_cast<const BlockQ8_1*>(xr[j].blocks)[b];
            acc_min[j] += kF16Table[wb[b].m] * kF16Table[xb.s];
          }
        }
      };
      int64_t b = 0;
      for (; b + 2 <= nb; b += 2) {  // two accumulator sets hide the FMA latency
        step(b, acc[0]);
        step(b + 1, acc[1]);
      }
      if (b < nb) step(b, acc[0]);
      for (int j = 0; j < NX; ++j) {
        const __m256 a = _mm256_add_ps(acc[0][j], acc[1][j]);
        __m128 v = _mm256_castps256_ps128(a);
        const __m128 hi = _mm256_extractf128_ps(a, 1);
        v = kMask ? _mm_fmadd_ps(hi, _mm_set1_ps(1.0f / 16), v) : _mm_add_ps(v, hi);
        v = _mm_add_ps(v, _mm_movehl_ps(v, v));
        v = _mm_add_ss(v, _mm_movehdup_ps(v));
        t.y[(tok0 + j) * t.y_stride + r] = _mm_cvtss_f32(v) + acc_min[j];
      }
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { for_token_chunks<NibVnni>(t, row0, row1); }
};

// ---- K-quants, two 32-chunks per zmm ---------------------------------------

// zmm of int16 where lanes 0..15 hold int16 lane i0 of v16 and lanes 16..31 lane i1.
inline __m512i scale_halves(__m512i v16, int i0, int i1) {
  const __m512i idx = _mm512_inserti64x4(_mm512_set1_epi16(static_cast<int16_t>(i0)),
                                         _mm256_set1_epi16(static_cast<int16_t>(i1)), 1);
  return _mm512_permutexvar_epi16(idx, v16);
}

inline __m512i load_x64(const int8_t* p) { return _mm512_loadu_si512(p); }

// Codes 0..15 of chunks 2k (low nibbles) and 2k+1 (high nibbles) of q4_K / q5_K.
inline __m512i nibbles_k(const uint8_t* qs32) {
  const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs32)));
  const __m512i shift = _mm512_inserti64x4(_mm512_setzero_si512(), _mm256_set1_epi16(4), 1);
  return _mm512_and_si512(_mm512_srlv_epi16(q, shift), _mm512_set1_epi8(0x0F));
}

template <bool kQ5>
struct KQ4 {
  using Block = std::conditional_t<kQ5, BlockQ5_K, BlockQ4_K>;

  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    const int64_t nsb = t.n_in / kQK;
    const BlockQ8_K* xb[NX];
    for (int j = 0; j < NX; ++j) xb[j] = reinterpret_cast<const BlockQ8_K*>(act_row(*t.x, tok0 + j).blocks);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const Block*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      __m512 acc[NX];
      __m256 acc_min[NX];
      for (int j = 0; j < NX; ++j) {
        acc[j] = _mm512_setzero_ps();
        acc_min[j] = _mm256_setzero_ps();
      }
      for (int64_t i = 0; i < nsb; ++i) {
        const Block& b = wb[i];
        uint8_t sm[16];
        x86::unpack_scales_k4(b.scales, sm);
        const __m512i sc16 = _mm512_cvtepu8_epi16(_mm256_zextsi128_si256(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(sm))));
        const __m128i m8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(sm + 8));
        const __m256i mins16 = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m8, m8));
        __m512i qh;
        if constexpr (kQ5) qh = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh)));
        __m512i sumi[2][NX];
        for (int j = 0; j < NX; ++j) sumi[0][j] = sumi[1][j] = _mm512_setzero_si512();
        for (int k = 0; k < 4; ++k) {
          __m512i q = nibbles_k(b.qs + 32 * k);
          if constexpr (kQ5) {
            const __m512i sh = _mm512_inserti64x4(_mm512_set1_epi16(static_cast<int16_t>(2 * k)),
                                                  _mm256_set1_epi16(static_cast<int16_t>(2 * k + 1)), 1);
            const __m512i hb = _mm512_and_si512(_mm512_srlv_epi16(qh, sh), _mm512_set1_epi8(1));
            q = _mm512_or_si512(q, _mm512_slli_epi16(hb, 4));
          }
          const __m512i sc = scale_halves(sc16, 2 * k, 2 * k + 1);
          for (int j = 0; j < NX; ++j) {
            const __m512i p = _mm512_maddubs_epi16(q, load_x64(xb[j][i].qs + 64 * k));
            sumi[k & 1][j] = _mm512_dpwssd_epi32(sumi[k & 1][j], p, sc);
          }
        }
        const float d = x86::f16_scalar(b.d), dmin = x86::f16_scalar(b.dmin);
        for (int j = 0; j < NX; ++j) {
          const float dx = xb[j][i].d;
          acc[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(sumi[0][j], sumi[1][j])), _mm512_set1_ps(d * dx), acc[j]);
          const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[j][i].bsums));
          acc_min[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(bs, mins16)), _mm256_set1_ps(dmin * dx), acc_min[j]);
        }
      }
      for (int j = 0; j < NX; ++j) t.y[(tok0 + j) * t.y_stride + r] = _mm512_reduce_add_ps(acc[j]) - x86::hsum(acc_min[j]);
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { for_token_chunks<KQ4>(t, row0, row1); }
};

inline int32_t reduce_i32(__m512i v) { return _mm512_reduce_add_epi32(v); }

// For pair k of q6_K chunks: int16 lanes 8s..8s+7 take scale 4k+s.
alignas(64) constexpr int16_t kQ6ScaleIdx[4][32] = {
    {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3},
    {4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7},
    {8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11},
    {12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13,
     14, 14, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15}};

// q6_K: unsigned codes 0..63 in the lanes; the -32 offset is corrected in
// the integer domain per super-block (32 * sum_j sc_j * bsum_j) before the
// one conversion to float, so the result is exact up to float rounding of
// d * dx * sumi, as in the reference.
struct KQ6 {
  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    const int64_t nsb = t.n_in / kQK;
    const BlockQ8_K* xb[NX];
    for (int j = 0; j < NX; ++j) xb[j] = reinterpret_cast<const BlockQ8_K*>(act_row(*t.x, tok0 + j).blocks);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const BlockQ6_K*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      float acc[NX] = {};
      for (int64_t i = 0; i < nsb; ++i) {
        const BlockQ6_K& b = wb[i];
        const __m128i sc8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
        const __m256i sc16 = _mm256_cvtepi8_epi16(sc8);
        const __m512i sc16z = _mm512_zextsi256_si512(sc16);
        __m512i sumi[2][NX];
        for (int j = 0; j < NX; ++j) sumi[0][j] = sumi[1][j] = _mm512_setzero_si512();
        for (int k = 0; k < 4; ++k) {
          const int h = k / 2, j0 = 2 * (k % 2);
          const __m512i ql = _mm512_loadu_si512(b.ql + 64 * h);
          const __m512i lo = _mm512_and_si512(k % 2 ? _mm512_srli_epi16(ql, 4) : ql, _mm512_set1_epi8(0x0F));
          const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh + 32 * h)));
          const __m512i sh = _mm512_inserti64x4(_mm512_set1_epi16(static_cast<int16_t>(2 * j0)),
                                                _mm256_set1_epi16(static_cast<int16_t>(2 * j0 + 2)), 1);
          const __m512i hi = _mm512_and_si512(_mm512_srlv_epi16(qh, sh), _mm512_set1_epi8(3));
          const __m512i q = _mm512_or_si512(lo, _mm512_slli_epi16(hi, 4));
          // int16 lanes 8s..8s+7 cover sub-block 4k+s.
          const __m512i idx = _mm512_load_si512(kQ6ScaleIdx[k]);
          const __m512i sc = _mm512_permutexvar_epi16(idx, sc16z);
          for (int j = 0; j < NX; ++j) {
            const __m512i p = _mm512_maddubs_epi16(q, load_x64(xb[j][i].qs + 64 * k));
            sumi[k & 1][j] = _mm512_dpwssd_epi32(sumi[k & 1][j], p, sc);
          }
        }
        const float d = x86::f16_scalar(b.d);
        for (int j = 0; j < NX; ++j) {
          const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[j][i].bsums));
          const __m256i corr = _mm256_slli_epi32(_mm256_madd_epi16(bs, sc16), 5);  // 32 * sc * bsum
          const __m512i s = _mm512_sub_epi32(_mm512_add_epi32(sumi[0][j], sumi[1][j]), _mm512_zextsi256_si512(corr));
          acc[j] += d * xb[j][i].d * static_cast<float>(reduce_i32(s));
        }
      }
      for (int j = 0; j < NX; ++j) t.y[(tok0 + j) * t.y_stride + r] = acc[j];
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { for_token_chunks<KQ6>(t, row0, row1); }
};

}  // namespace

void register_decode_avx512(KernelTable& kt) {
  auto set = [&](GgmlType type, MulMatFn fn) { kt.types[static_cast<uint32_t>(type)].mul_mat = fn; };
  set(GgmlType::Q4_0, NibVnni<BlockQ4_0, 8, true, false>::mul_mat);
  set(GgmlType::Q4_1, NibVnni<BlockQ4_1, 0, true, true>::mul_mat);
  set(GgmlType::Q5_0, NibVnni<BlockQ5_0, 16, false, false>::mul_mat);
  set(GgmlType::Q5_1, NibVnni<BlockQ5_1, 0, false, true>::mul_mat);
  set(GgmlType::Q4_K, KQ4<false>::mul_mat);
  set(GgmlType::Q5_K, KQ4<true>::mul_mat);
  set(GgmlType::Q6_K, KQ6::mul_mat);
}

}  // namespace hako
