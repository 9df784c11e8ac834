// Direct (decode and small-batch) kernels for weights in the x8 row layout
// (quant/interleave.h), shared by the AVX2 and AVX-512 VNNI files that
// include it, each compiled with its own flags (internal linkage, as
// avx_common.h). 8 rows per pass: one ymm holds the same 4-byte piece of 8
// rows, so one u8 x s8 dot product with a broadcast 4-byte piece of the
// activations advances 8 rows' dot products at once, and the per-block
// float work (scale conversion, multiply, FMA) is done once per 8 rows
// instead of once per row plus a horizontal sum at the end: about a third
// of the instructions per weight byte of the row-major kernels, which were
// bound by instruction throughput, not by DRAM.
// Exactness: weight codes are unsigned (q4_0 nibbles 0..15; q8_0 stored
// plus 128) and the offset (8 or 128 times the block's activation code sum)
// starts the int32 accumulator, so every lane holds the exact integer dot.
// Without VNNI the u8 x s8 step goes through int16 pairs, which saturate
// above 32767: q4_0 then shifts its high nibbles down (codes <= 15), and
// q8_0 (codes up to 255) is VNNI only.
#pragma once

#include "kernels/registry.h"
#include "kernels/x86/avx_common.h"
#include "quant/blocks.h"
#include "quant/interleave.h"

namespace hako {
namespace {

using x86::act_row;
using x86::ActRow;
using x86::for_token_chunks;

// Prefetch distance in bytes ahead of the column being read (a few columns:
// the x8 stream is one sequential read per thread).
constexpr int kPrefetchBytes = 1024;

inline __m256i bcast4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

// Codes of one block column, decoded once and used for every token.
//   q4_0: 4 chunks; lo[c] = low nibbles (weights 4c..4c+3 of each row),
//         hi[c] = high nibbles (weights 16+4c..); with VNNI kept in place,
//         times 16: their dot is exactly 16 times the true one, divided out.
//   q8_0: 8 chunks of unsigned codes (stored plus 128).
struct Q4_0X8 {
  static constexpr int kColBytes = kX8Rows * sizeof(BlockQ4_0);
  static constexpr int32_t kOffset = 8;
  struct Codes {
    __m256i lo[4], hi[4];
  };
  static Codes load(const uint8_t* col) {
    Codes k;
    const __m256i m_lo = _mm256_set1_epi8(0x0F), m_hi = _mm256_set1_epi8(static_cast<char>(0xF0));
    for (int c = 0; c < 4; ++c) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col + x8_piece_offset(c, 0)));
      k.lo[c] = _mm256_and_si256(v, m_lo);
      k.hi[c] = x86::kVnni ? _mm256_and_si256(v, m_hi) : _mm256_and_si256(_mm256_srli_epi16(v, 4), m_lo);
    }
    return k;
  }
  // Exact int dot of 8 rows with one activation block (32 codes at xq whose
  // sum is xsum).
  static __m256i dot(const Codes& k, const int8_t* xq, int32_t xsum) {
    const auto* xb = reinterpret_cast<const uint8_t*>(xq);
    __m256i lo = _mm256_set1_epi32(-xsum * kOffset);
    __m256i hi = _mm256_setzero_si256();
    for (int c = 0; c < 4; ++c) {
      lo = x86::dot_u8s8(lo, k.lo[c], bcast4(xb + 4 * c));
      hi = x86::dot_u8s8(hi, k.hi[c], bcast4(xb + 16 + 4 * c));
    }
    return _mm256_add_epi32(lo, x86::kVnni ? _mm256_srai_epi32(hi, 4) : hi);
  }
};

struct Q8_0X8 {  // VNNI only: codes stored plus 128 would saturate the int16 pairs
  static constexpr int kColBytes = kX8Rows * sizeof(BlockQ8_0);
  struct Codes {
    __m256i q[8];
  };
  static Codes load(const uint8_t* col) {
    Codes k;
    for (int c = 0; c < 8; ++c) k.q[c] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col + x8_piece_offset(c, 0)));
    return k;
  }
  static __m256i dot(const Codes& k, const int8_t* xq, int32_t xsum) {
    const auto* xb = reinterpret_cast<const uint8_t*>(xq);
    __m256i a = _mm256_set1_epi32(-xsum * 128);
    __m256i b = _mm256_setzero_si256();  // two chains: half the latency
    for (int c = 0; c < 8; c += 2) {
      a = x86::dot_u8s8(a, k.q[c], bcast4(xb + 4 * c));
      b = x86::dot_u8s8(b, k.q[c + 1], bcast4(xb + 4 * c + 4));
    }
    return _mm256_add_epi32(a, b);
  }
};

template <class Fmt>
struct DirectX8 {
  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    const int64_t nb = t.n_in / 32;
    ActRow xr[NX];
    for (int j = 0; j < NX; ++j) xr[j] = act_row(*t.x, tok0 + j);
    for (int64_t rg = row0; rg < row1; rg += kX8Rows) {
      const uint8_t* group = t.w + static_cast<uint64_t>(rg) * t.w_row_bytes;
      __m256 acc[NX];
      for (int j = 0; j < NX; ++j) acc[j] = _mm256_setzero_ps();
      for (int64_t b = 0; b < nb; ++b) {
        const uint8_t* col = group + b * Fmt::kColBytes;
        _mm_prefetch(reinterpret_cast<const char*>(col) + kPrefetchBytes, _MM_HINT_T0);
        const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(col)));
        const typename Fmt::Codes k = Fmt::load(col);
        for (int j = 0; j < NX; ++j) {
          const auto& xb = reinterpret_cast<const BlockQ8_0*>(xr[j].blocks)[b];
          const __m256i p = Fmt::dot(k, xb.qs, xr[j].sum[b]);
          acc[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_mul_ps(dw, _mm256_set1_ps(xr[j].d[b])), acc[j]);
        }
      }
      for (int j = 0; j < NX; ++j) _mm256_storeu_ps(t.y + (tok0 + j) * t.y_stride + rg, acc[j]);
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { for_token_chunks<DirectX8>(t, row0, row1); }
};

}  // namespace
}  // namespace hako
