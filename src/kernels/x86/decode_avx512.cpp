// AVX-512 VNNI direct kernels for formats where this level can do better
// than the shared AVX2-shaped kernels (x86/legacy_kernels.h,
// kquant_kernels.h): q4_0, q4_1, q5_0, q5_1 and q6_K, for small batches
// (larger batches take the GEMM). The point is fewer vector ops per weight
// byte, so that two threads keep up with DRAM. All on 256-bit vectors: Zen 4
// executes zmm ops double-pumped, and zmm versions of these loops measured
// no faster (bench/kernels). Exactness: offsets are corrected in the integer
// domain, so int32 results are exact partial sums of true products.
#include "base/fp16.h"
#include "kernels/registry.h"
#include "kernels/x86/avx_common.h"
#include "quant/blocks.h"

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

// Software prefetch distance for the nibble kernels: +12% when streaming
// q4_0 from DRAM on Zen 4 (A/B medians 14.1 vs 12.6 GB/s); the same prefetch
// made the q8_0 and q6_K loops slower, so they have none.
constexpr int kPrefetchBytes = 1024;

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
        _mm_prefetch(reinterpret_cast<const char*>(wb + b) + kPrefetchBytes, _MM_HINT_T0);
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

// ---- q6_K -------------------------------------------------------------------

// q6_K on 256-bit vectors: unsigned codes 0..63, built as ggml does from
// one qh and two ql loads per 128 elements; the -32 offset is corrected in the
// integer domain per super-block (32 * sum_j sc_j * bsum_j) and the lanes are
// reduced to one exact int before the single conversion to float, so the
// result equals the reference up to the float rounding of d * dx * sumi.
struct KQ6 {
  // Scale shuffle for chunk c: int8 scales 2c (bytes 0..7) and 2c+1 (8..15).
  static __m256i chunk_scales(__m128i sc8, int c) {
    const __m128i idx = _mm_set_epi64x(0x0101010101010101ll * (2 * c + 1), 0x0101010101010101ll * (2 * c));
    return _mm256_cvtepi8_epi16(_mm_shuffle_epi8(sc8, idx));
  }

  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    const int64_t nsb = t.n_in / kQK;
    const BlockQ8_K* xb[NX];
    for (int j = 0; j < NX; ++j) xb[j] = reinterpret_cast<const BlockQ8_K*>(act_row(*t.x, tok0 + j).blocks);
    const __m256i m15 = _mm256_set1_epi8(0x0F);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const BlockQ6_K*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      float acc[NX] = {};
      for (int64_t i = 0; i < nsb; ++i) {
        const BlockQ6_K& b = wb[i];
        const __m128i sc8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
        __m256i sumi[2][NX];
        for (int j = 0; j < NX; ++j) sumi[0][j] = sumi[1][j] = _mm256_setzero_si256();
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
          const __m256i l0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.ql + 64 * h));
          const __m256i l1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.ql + 64 * h + 32));
          const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh + 32 * h));
          __m256i q[4];
          q[0] = _mm256_or_si256(_mm256_and_si256(l0, m15), _mm256_slli_epi16(_mm256_and_si256(qh, _mm256_set1_epi8(3)), 4));
          q[1] = _mm256_or_si256(_mm256_and_si256(l1, m15), _mm256_slli_epi16(_mm256_and_si256(qh, _mm256_set1_epi8(12)), 2));
          q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m15), _mm256_and_si256(qh, _mm256_set1_epi8(48)));
          q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m15),
                                 _mm256_srli_epi16(_mm256_and_si256(qh, _mm256_set1_epi8(static_cast<char>(0xC0))), 2));
#pragma GCC unroll 4
          for (int k = 0; k < 4; ++k) {
            const int c = 4 * h + k;
            const __m256i sc = chunk_scales(sc8, c);
            for (int j = 0; j < NX; ++j) {
              const __m256i xq = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[j][i].qs + 32 * c));
              sumi[k & 1][j] = _mm256_dpwssd_epi32(sumi[k & 1][j], _mm256_maddubs_epi16(q[k], xq), sc);
            }
          }
        }
        const __m256i sc16 = _mm256_cvtepi8_epi16(sc8);
        const float d = x86::f16_scalar(b.d);
        for (int j = 0; j < NX; ++j) {
          const __m256i bs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xb[j][i].bsums));
          const __m256i corr = _mm256_slli_epi32(_mm256_madd_epi16(bs, sc16), 5);  // 32 * sc * bsum
          const __m256i s = _mm256_sub_epi32(_mm256_add_epi32(sumi[0][j], sumi[1][j]), corr);
          acc[j] += d * xb[j][i].d * static_cast<float>(x86::hsum_i32(s));
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
  set(GgmlType::Q6_K, KQ6::mul_mat);
}

}  // namespace hako
