// AVX-512 (F, BW, VL) + F16C attention row primitives, bit-identical to the
// scalar reference in attn_rows.cpp. The score pass keeps the reference's
// 8-lane order per dot product and puts two cells side by side in one zmm
// (two 128-bit f16 loads, one conversion), each K row loaded and converted
// once for up to four query heads; a shuffle tree reduces 8 or 16 cells'
// lanes in the reference's order. The value pass has no lane order to keep
// (every output element is its own chain over the cells): a zmm holds 16
// dims, the V row is converted once for up to four query heads, the outputs
// stay in registers over a block of cells, and zero probabilities are
// skipped by masking the add. Rows ahead are prefetched to L2, spread over
// the work. Compiled with the avx512 flags; used only when cpu_features()
// reports AVX-512. Not: the reference, nor the order of attention's passes.
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "base/cpu_features.h"
#include "base/fp16.h"
#include "kernels/ops/attn_rows.h"
#include "kernels/ops/f16_inline.h"

// GCC 12's AVX-512 intrinsics pass an undefined vector as the merge source,
// which -Wmaybe-uninitialized reports at every inlined use (a false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace hako::ops {
namespace {

// ---------------------------------------------------------------- elementwise

// Lanes [0, n) of 16 set (n <= 16).
inline __mmask16 lanes(int32_t n) { return static_cast<__mmask16>((1u << n) - 1u); }

inline __m512 load_f16x16(const uint16_t* p, __mmask16 m) {
  return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p));
}

__m512 exp_ggml_avx512(__m512 x) {
  const __m512 r = _mm512_set1_ps(0x1.8p23f);
  const __m512 z = _mm512_fmadd_ps(x, _mm512_set1_ps(0x1.715476p+0f), r);
  const __m512 n = _mm512_sub_ps(z, r);
  const __m512 b = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.7f7d1cp-20f),
                                    _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.62e4p-1f), x));
  const __m512 u = _mm512_mul_ps(b, b);
  const __m512 j = _mm512_fmadd_ps(
      _mm512_fmadd_ps(_mm512_fmadd_ps(_mm512_set1_ps(0x1.0e4020p-7f), b, _mm512_set1_ps(0x1.573e2ep-5f)), u,
                      _mm512_fmadd_ps(_mm512_set1_ps(0x1.555e66p-3f), b, _mm512_set1_ps(0x1.fffdb6p-2f))),
      u, _mm512_fmadd_ps(_mm512_set1_ps(0x1.ffffecp-1f), b, _mm512_set1_ps(1.0f)));
  const __m512i e = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
  const __m512 res = _mm512_mul_ps(j, _mm512_castsi512_ps(e));
  // |n| > 126 (or NaN): 0 where n <= 0, else +inf.
  const __m512 abs_n = _mm512_abs_ps(n);
  const __mmask16 in_range = _mm512_cmp_ps_mask(abs_n, _mm512_set1_ps(126.0f), _CMP_LE_OQ);
  const __mmask16 low = _mm512_cmp_ps_mask(n, _mm512_setzero_ps(), _CMP_LE_OQ);
  const __m512 alt = _mm512_mask_blend_ps(low, _mm512_set1_ps(__builtin_inff()), _mm512_setzero_ps());
  return _mm512_mask_blend_ps(in_range, alt, res);
}

// The sum's 8 double lanes (lane l: elements i = l mod 8) take the low
// then the high half of each 16 values, so each lane adds in index order.
double exp_sub_avx512(float* x, int32_t n, float max) {
  const __m512 vmax = _mm512_set1_ps(max);
  const int32_t n8 = n / 8 * 8;
  __m512d acc = _mm512_setzero_pd();
  int32_t i = 0;
  for (; i + 16 <= n8; i += 16) {
    const __m512 e = exp_ggml_avx512(_mm512_sub_ps(_mm512_loadu_ps(x + i), vmax));
    _mm512_storeu_ps(x + i, e);
    acc = _mm512_add_pd(acc, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
    acc = _mm512_add_pd(acc, _mm512_cvtps_pd(_mm512_extractf32x8_ps(e, 1)));
  }
  if (i < n) {  // up to 8 full lanes, then the tail
    const __mmask16 m = lanes(n - i);
    const __m512 e = exp_ggml_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, x + i), vmax));
    _mm512_mask_storeu_ps(x + i, m, e);
    if (i < n8) acc = _mm512_add_pd(acc, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
  }
  const __m256d t = _mm256_add_pd(_mm512_castpd512_pd256(acc), _mm512_extractf64x4_pd(acc, 1));
  const __m128d u = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));
  double tail = 0.0;
  for (int32_t j = n8; j < n; ++j) tail += x[j];
  return _mm_cvtsd_f64(_mm_add_sd(u, _mm_unpackhi_pd(u, u))) + tail;
}

float max_avx512(const float* x, int32_t n) {
  __m512 m = _mm512_set1_ps(-__builtin_inff());
  for (int32_t i = 0; i < n; i += 16) {
    const __mmask16 k = n - i >= 16 ? __mmask16{0xffff} : lanes(n - i);
    m = _mm512_mask_max_ps(m, k, _mm512_maskz_loadu_ps(k, x + i), m);  // NaN x keeps m
  }
  return _mm512_reduce_max_ps(m);
}

void to_f16_scaled_avx512(const float* x, float s, uint16_t* y, int32_t n) {
  const __m512 vs = _mm512_set1_ps(s);
  for (int32_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16{0xffff} : lanes(n - i);
    const __m256i h = _mm512_cvtps_ph(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i), vs), _MM_FROUND_TO_NEAREST_INT);
    _mm256_mask_storeu_epi16(y + i, m, h);
  }
}

void axpy_f16_avx512(float a, const uint16_t* v, float* y, int32_t n) {
  const __m512 va = _mm512_set1_ps(a);
  for (int32_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16{0xffff} : lanes(n - i);
    const __m512 o = _mm512_add_ps(_mm512_maskz_loadu_ps(m, y + i), _mm512_mul_ps(va, load_f16x16(v + i, m)));
    _mm512_mask_storeu_ps(y + i, m, o);
  }
}

// 8 lanes -> the reference's reduction ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).
inline float reduce8(__m256 acc) {
  const __m128 t = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  const __m128 u = _mm_add_ps(t, _mm_movehl_ps(t, t));
  return _mm_cvtss_f32(_mm_add_ss(u, _mm_movehdup_ps(u)));
}

inline float dot_tail(const uint16_t* k, const float* q, int32_t i, int32_t n) {
  float tail = 0.0f;
  for (; i < n; ++i) tail = tail + f16_bits_to_f32(k[i]) * q[i];
  return tail;
}

float dot_f16_avx512(const uint16_t* k, const float* q, int32_t n) {
  __m256 acc = _mm256_setzero_ps();
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 kv = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(k + i)));
    acc = _mm256_add_ps(acc, _mm256_mul_ps(kv, _mm256_loadu_ps(q + i)));
  }
  const float tail = dot_tail(k, q, i, n);
  return reduce8(acc) + tail;
}

// Rows this many cells ahead are prefetched: the cache interleaves the KV
// heads of a cell, so one head's rows are strided (n_head_kv * dim halves)
// and the hardware streamer, which stays within a page, misses most of them.
// The prefetches are spread over a block's work (a burst of 64 lines at the
// start of a block measured 25-40% less bandwidth on Zen 4) and go to L2:
// into L1 they evicted the block in use (one block of 16 cells of every KV
// head is 32 KiB); measured on Zen 4 at 4096 cells over DRAM: 1.2-1.3 ms
// per layer (qwen3-0.6b shape) to L2 vs 1.8-2.0 ms to L1.
constexpr int32_t kPrefetchCells = 16;

inline void prefetch_row(const uint16_t* row, int32_t dim) {
  const char* p = reinterpret_cast<const char*>(row);
  for (int32_t b = 0; b < dim * 2; b += 64) _mm_prefetch(p + b, _MM_HINT_T1);
}

// ---------------------------------------------------------------- scores

// Cells per score block: 8 zmm accumulators per query head, cells 2p and
// 2p + 1 in zmm p (lanes 0-7 and 8-15, each in the reference's lane order).
constexpr int32_t kScoreCells = 16;

// 16 cells' 8-lane accumulators -> their reduce8() values, in cell order.
// Every add pairs the same operands as reduce8() (a + b == b + a exactly).
inline __m512 reduce16(const __m512 (&acc)[8]) {
  __m512 t[4];  // 128-bit lane L of t[h]: l0+l4 .. l3+l7 of cell 4h + L
  for (int h = 0; h < 4; ++h) {
    const __m512 lo = _mm512_shuffle_f32x4(acc[2 * h], acc[2 * h + 1], _MM_SHUFFLE(2, 0, 2, 0));
    const __m512 hi = _mm512_shuffle_f32x4(acc[2 * h], acc[2 * h + 1], _MM_SHUFFLE(3, 1, 3, 1));
    t[h] = _mm512_add_ps(lo, hi);
  }
  // Lane L of u[h]: (t0+t2, t1+t3) of cell 8h + L, then of cell 8h + L + 4.
  __m512 u[2];
  for (int h = 0; h < 2; ++h) {
    u[h] = _mm512_add_ps(_mm512_shuffle_ps(t[2 * h], t[2 * h + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_ps(t[2 * h], t[2 * h + 1], _MM_SHUFFLE(3, 2, 3, 2)));
  }
  // Element 4L + k of s: cell L + 4k.
  const __m512 s = _mm512_add_ps(_mm512_shuffle_ps(u[0], u[1], _MM_SHUFFLE(2, 0, 2, 0)),
                                 _mm512_shuffle_ps(u[0], u[1], _MM_SHUFFLE(3, 1, 3, 1)));
  const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  return _mm512_permutexvar_ps(order, s);
}

inline __m512 load_k_pair(const uint16_t* a, const uint16_t* b) {
  const __m256i h = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a))),
                                            _mm_loadu_si128(reinterpret_cast<const __m128i*>(b)), 1);
  return _mm512_cvtph_ps(h);
}

// 8 cells' accumulators (cells 2p, 2p + 1 in acc[p]) -> their reduce8()
// values in elements 0-7, in cell order (as reduce16, one level less).
inline __m512 reduce8_cells(const __m512 (&acc)[4]) {
  __m512 t[2];  // 128-bit lane L of t[h]: l0+l4 .. l3+l7 of cell 4h + L
  for (int h = 0; h < 2; ++h) {
    const __m512 lo = _mm512_shuffle_f32x4(acc[2 * h], acc[2 * h + 1], _MM_SHUFFLE(2, 0, 2, 0));
    const __m512 hi = _mm512_shuffle_f32x4(acc[2 * h], acc[2 * h + 1], _MM_SHUFFLE(3, 1, 3, 1));
    t[h] = _mm512_add_ps(lo, hi);
  }
  // Lane L of u: (t0+t2, t1+t3) of cell L, then of cell L + 4.
  const __m512 u = _mm512_add_ps(_mm512_shuffle_ps(t[0], t[1], _MM_SHUFFLE(1, 0, 1, 0)),
                                 _mm512_shuffle_ps(t[0], t[1], _MM_SHUFFLE(3, 2, 3, 2)));
  // Element 4L of s: cell L; 4L + 1: cell L + 4.
  const __m512 s = _mm512_add_ps(_mm512_shuffle_ps(u, u, _MM_SHUFFLE(2, 0, 2, 0)),
                                 _mm512_shuffle_ps(u, u, _MM_SHUFFLE(3, 1, 3, 1)));
  const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0);
  return _mm512_permutexvar_ps(order, s);
}

template <int P>
inline __m512 reduce_cells(const __m512 (&acc)[P]) {
  if constexpr (P == 8) {
    return reduce16(acc);
  } else {
    static_assert(P == 4);
    return reduce8_cells(acc);
  }
}

// The scores of query heads [g0, g0 + NQ) for the 2P cells at k0 from
// their accumulators over dims [0, n8): reduced, plus the dims past n8 in
// order, times the scale.
// Only the first n_cells (<= 2P) cells are stored (and their rows read).
template <int NQ, int P>
inline void store_scores(const ScoreRange& r, const __m512 (&acc)[NQ][P], const uint16_t* k0, int32_t g0, float* out,
                         int32_t n8, int32_t n_cells = 2 * P) {
  const __m512 scale = _mm512_set1_ps(r.scale);
  for (int g = 0; g < NQ; ++g) {
    alignas(64) float tail[16] = {};
    if (n8 < r.dim) {
      const float* q = r.q + static_cast<int64_t>(g0 + g) * r.dim;
      for (int j = 0; j < n_cells; ++j) tail[j] = dot_tail(k0 + j * r.k_stride, q, n8, r.dim);
    }
    const __m512 s = _mm512_add_ps(reduce_cells<P>(acc[g]), _mm512_load_ps(tail));
    _mm512_mask_storeu_ps(out + (g0 + g) * scores_ld(r), lanes(n_cells), _mm512_mul_ps(s, scale));
  }
}

// Scores of query heads [g0, g0 + NQ) for the 2P cells at k0 (NQ * P
// accumulators: 16 fit the registers with the queries and the K pair).
// pf: 2P rows to prefetch over the steps (at stride k_stride), or null.
template <int NQ, int P>
void scores_block(const ScoreRange& r, const uint16_t* k0, int32_t g0, float* out, int32_t n8, const uint16_t* pf) {
  constexpr int kCells = 2 * P;
  const int64_t st = r.k_stride;
  const float* q[NQ];
  for (int g = 0; g < NQ; ++g) q[g] = r.q + static_cast<int64_t>(g0 + g) * r.dim;
  __m512 acc[NQ][P];
#pragma GCC unroll 4
  for (int g = 0; g < NQ; ++g) {
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) acc[g][p] = _mm512_setzero_ps();
  }
  const int32_t n_steps = n8 / 8;
  for (int32_t i = 0; i < n8; i += 8) {
    if (pf != nullptr) {  // rows [2P s / S, 2P (s + 1) / S) at step s of S
      const int32_t s = i / 8;
      for (int32_t j = kCells * s / n_steps; j < kCells * (s + 1) / n_steps; ++j) prefetch_row(pf + j * st, r.dim);
    }
    __m512 vq[NQ];
#pragma GCC unroll 4
    for (int g = 0; g < NQ; ++g) vq[g] = _mm512_broadcast_f32x8(_mm256_loadu_ps(q[g] + i));
#pragma GCC unroll 8
    for (int p = 0; p < P; ++p) {
      const __m512 kz = load_k_pair(k0 + 2 * p * st + i, k0 + (2 * p + 1) * st + i);
#pragma GCC unroll 4
      for (int g = 0; g < NQ; ++g) acc[g][p] = _mm512_add_ps(acc[g][p], _mm512_mul_ps(kz, vq[g]));
    }
  }
  store_scores<NQ, P>(r, acc, k0, g0, out, n8);
}

// Query heads [g0, g0 + nq) over the 16 cells at k0: two, or one, heads per
// K conversion in 16-cell blocks; three or four in two 8-cell halves.
void scores_heads(const ScoreRange& r, const uint16_t* k0, int32_t g0, int32_t nq, float* out, int32_t n8,
                  const uint16_t* pf) {
  const uint16_t* k1 = k0 + 8 * r.k_stride;
  const uint16_t* pf1 = pf != nullptr ? pf + 8 * r.k_stride : nullptr;
  switch (nq) {
    case 1: scores_block<1, 8>(r, k0, g0, out, n8, pf); break;
    case 2: scores_block<2, 8>(r, k0, g0, out, n8, pf); break;
    case 3:
      scores_block<3, 4>(r, k0, g0, out, n8, pf);
      scores_block<3, 4>(r, k1, g0, out + 8, n8, pf1);
      break;
    default:
      scores_block<4, 4>(r, k0, g0, out, n8, pf);
      scores_block<4, 4>(r, k1, g0, out + 8, n8, pf1);
      break;
  }
}

void scores_avx512(const ScoreRange& r) {
  const int32_t n8 = r.dim / 8 * 8;
  int32_t c = 0;
  for (; c + kScoreCells <= r.n_cells; c += kScoreCells) {
    const uint16_t* k0 = r.k + c * r.k_stride;
    const bool ahead = c + kScoreCells + kPrefetchCells <= readable(r.n_cells, r.n_readable);
    const uint16_t* pf = ahead && n8 >= 8 ? k0 + kPrefetchCells * r.k_stride : nullptr;
    for (int32_t g = 0; g < r.n_q; g += 4, pf = nullptr) {
      scores_heads(r, k0, g, std::min<int32_t>(4, r.n_q - g), r.scores + c, n8, pf);
    }
  }
  for (; c < r.n_cells; ++c) {
    const uint16_t* krow = r.k + c * r.k_stride;
    for (int32_t g = 0; g < r.n_q; ++g) {
      r.scores[g * scores_ld(r) + c] =
          dot_f16_avx512(krow, r.q + static_cast<int64_t>(g) * r.dim, r.dim) * r.scale;
    }
  }
}

// ---------------------------------------------------------------- score tiles

// Widest head the tile kernels buffer (a block of 16 rows of f32: 16 KiB).
constexpr int32_t kTileMaxDim = 256;

// The 16 K rows at k0 as f32: kb[(i / 8) * 8 + p] holds dims [i, i + 8) of
// cells 2p (lanes 0-7) and 2p + 1 (lanes 8-15), as load_k_pair() gives them.
// pf: the 16 rows to prefetch (at the same stride), or null.
void convert_k_block(const ScoreRange& r, const uint16_t* k0, int32_t n8, __m512* kb, const uint16_t* pf) {
  const int64_t st = r.k_stride;
  for (int32_t i = 0; i < n8; i += 8) {
#pragma GCC unroll 8
    for (int p = 0; p < 8; ++p) kb[(i / 8) * 8 + p] = load_k_pair(k0 + 2 * p * st + i, k0 + (2 * p + 1) * st + i);
  }
  if (pf != nullptr) {
    for (int32_t j = 0; j < kScoreCells; ++j) prefetch_row(pf + j * st, r.dim);
  }
}

// As convert_k_block() for the first n (< 16) rows; the other cells' lanes are zero.
void convert_k_partial(const ScoreRange& r, const uint16_t* k0, int32_t n, int32_t n8, __m512* kb) {
  const int64_t st = r.k_stride;
  for (int32_t i = 0; i < n8; i += 8) {
    for (int p = 0; p < 8; ++p) {
      const __m128i a = 2 * p < n ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(k0 + 2 * p * st + i)) : _mm_setzero_si128();
      const __m128i b = 2 * p + 1 < n ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(k0 + (2 * p + 1) * st + i))
                                      : _mm_setzero_si128();
      kb[(i / 8) * 8 + p] = _mm512_cvtph_ps(_mm256_inserti128_si256(_mm256_castsi128_si256(a), b, 1));
    }
  }
}

// As scores_block<NQ, 8>, the K pairs read from kb (convert_k_block()).
template <int NQ>
void scores_block_buf(const ScoreRange& r, const __m512* kb, const uint16_t* k0, int32_t g0, float* out, int32_t n8,
                      int32_t n_cells) {
  const float* q[NQ];
  for (int g = 0; g < NQ; ++g) q[g] = r.q + static_cast<int64_t>(g0 + g) * r.dim;
  __m512 acc[NQ][8];
#pragma GCC unroll 4
  for (int g = 0; g < NQ; ++g) {
#pragma GCC unroll 8
    for (int p = 0; p < 8; ++p) acc[g][p] = _mm512_setzero_ps();
  }
  for (int32_t i = 0; i < n8; i += 8) {
    const __m512* ks = kb + (i / 8) * 8;
    __m512 vq[NQ];
#pragma GCC unroll 4
    for (int g = 0; g < NQ; ++g) vq[g] = _mm512_broadcast_f32x8(_mm256_loadu_ps(q[g] + i));
#pragma GCC unroll 8
    for (int p = 0; p < 8; ++p) {
      const __m512 kz = _mm512_load_ps(reinterpret_cast<const float*>(ks + p));
#pragma GCC unroll 4
      for (int g = 0; g < NQ; ++g) acc[g][p] = _mm512_add_ps(acc[g][p], _mm512_mul_ps(kz, vq[g]));
    }
  }
  store_scores<NQ, 8>(r, acc, k0, g0, out, n8, n_cells);
}

// scores() for many query rows: each block of 16 K rows is converted to f32
// once, then every pair of rows takes it from L1. Same bits as scores().
void scores_tile_avx512(const ScoreRange& r) {
  const int32_t n8 = r.dim / 8 * 8;
  if (r.n_q <= 4 || r.dim > kTileMaxDim || n8 == 0) {
    scores_avx512(r);
    return;
  }
  alignas(64) __m512 kb[kTileMaxDim];  // (kTileMaxDim / 8) steps of 8 pairs
  for (int32_t c = 0; c < r.n_cells; c += kScoreCells) {
    const uint16_t* k0 = r.k + c * r.k_stride;
    const int32_t n = std::min(kScoreCells, r.n_cells - c);
    if (n == kScoreCells) {
      const bool ahead = c + kScoreCells + kPrefetchCells <= readable(r.n_cells, r.n_readable);
      convert_k_block(r, k0, n8, kb, ahead ? k0 + kPrefetchCells * r.k_stride : nullptr);
    } else {
      convert_k_partial(r, k0, n, n8, kb);
    }
    int32_t g = 0;
    for (; g + 2 <= r.n_q; g += 2) scores_block_buf<2>(r, kb, k0, g, r.scores + c, n8, n);
    if (g < r.n_q) scores_block_buf<1>(r, kb, k0, g, r.scores + c, n8, n);
  }
}

// ---------------------------------------------------------------- values

// Cells per value block: the outputs are loaded and stored once per block.
constexpr int32_t kValueCells = 16;
// Heads per register-resident group, and zmm (16 dims) per head such that
// the group's outputs take at most 16 registers.
constexpr int kMaxValueHeads = 4;
constexpr int kMaxValueZmm = 8;

struct ValueBlock {
  const uint16_t* v;      // cell c0's row, at dim d0
  const uint16_t* pf;     // cell c0 + kPrefetchCells's whole row (prefetched), or null
  const uint16_t* probs;  // head g0's probability of cell c0
  float* out;             // head g0's output at dim d0
  int32_t n_cells;        // cells in the block (<= 16)
  __mmask16 last;         // lanes of the last zmm that are in the row
};

// out[g][d] += p[g][c] * v[c][d] over the block's cells in order, for NQ
// heads and W zmm of dims; a zero probability leaves the output untouched.
template <int NQ, int W>
void values_block(const ValueRange& r, const ValueBlock& b) {
  __m512 acc[NQ][W];
#pragma GCC unroll 4
  for (int g = 0; g < NQ; ++g) {
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
      acc[g][w] = _mm512_maskz_loadu_ps(w == W - 1 ? b.last : __mmask16{0xffff}, b.out + g * r.dim + 16 * w);
    }
  }
  // Each head's 16 probabilities as floats, and which are nonzero (bits).
  __m512 pv[NQ];
  uint32_t nz[NQ];
#pragma GCC unroll 4
  for (int g = 0; g < NQ; ++g) {
    const uint16_t* ph = b.probs + g * probs_ld(r);
    const __m256i h = _mm256_maskz_loadu_epi16(lanes(b.n_cells), ph);
    pv[g] = _mm512_cvtph_ps(h);
    nz[g] = _mm256_test_epi16_mask(h, h);
  }
  for (int32_t c = 0; c < b.n_cells; ++c) {
    const uint16_t* row = b.v + c * r.v_stride;
    if (b.pf != nullptr) prefetch_row(b.pf + c * r.v_stride, r.dim);
    const __m512i lane = _mm512_set1_epi32(c);
    __m512 p[NQ];
    __mmask16 m[NQ];
#pragma GCC unroll 4
    for (int g = 0; g < NQ; ++g) {
      p[g] = _mm512_permutexvar_ps(lane, pv[g]);
      m[g] = static_cast<__mmask16>(-((nz[g] >> c) & 1u));
    }
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
      const __m512 v = load_f16x16(row + 16 * w, w == W - 1 ? b.last : __mmask16{0xffff});
#pragma GCC unroll 4
      for (int g = 0; g < NQ; ++g) acc[g][w] = _mm512_mask_add_ps(acc[g][w], m[g], acc[g][w], _mm512_mul_ps(p[g], v));
    }
  }
#pragma GCC unroll 4
  for (int g = 0; g < NQ; ++g) {
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
      _mm512_mask_storeu_ps(b.out + g * r.dim + 16 * w, w == W - 1 ? b.last : __mmask16{0xffff}, acc[g][w]);
    }
  }
}

using ValueFn = void (*)(const ValueRange&, const ValueBlock&);

template <int NQ, int... Ws>
constexpr std::array<ValueFn, sizeof...(Ws)> value_row(std::integer_sequence<int, Ws...>) {
  return {&values_block<NQ, Ws + 1>...};
}

template <int... NQs>
constexpr std::array<std::array<ValueFn, kMaxValueZmm>, sizeof...(NQs)> value_table(std::integer_sequence<int, NQs...>) {
  return {value_row<NQs + 1>(std::make_integer_sequence<int, kMaxValueZmm>{})...};
}

// kValueFns[nq - 1][w - 1]: nq heads, w zmm.
constexpr auto kValueFns = value_table(std::make_integer_sequence<int, kMaxValueHeads>{});

// The cells of one block for every head group and dim chunk.
void values_cells(const ValueRange& r, int32_t c, int32_t n, const uint16_t* pf) {
  const int32_t n16 = (r.dim + 15) / 16;
  for (int32_t g = 0; g < r.n_q; g += kMaxValueHeads) {
    const int32_t nq = std::min<int32_t>(kMaxValueHeads, r.n_q - g);
    const int32_t w_max = std::min<int32_t>(kMaxValueZmm, 16 / nq);
    for (int32_t w0 = 0; w0 < n16; w0 += w_max) {
      const int32_t w = std::min(w_max, n16 - w0);
      const int32_t d0 = 16 * w0, d_end = std::min(r.dim, 16 * (w0 + w));
      const ValueBlock b{.v = r.v + c * r.v_stride + d0,
                         .pf = pf,
                         .probs = r.probs + g * probs_ld(r) + c,
                         .out = r.out + static_cast<int64_t>(g) * r.dim + d0,
                         .n_cells = n,
                         .last = lanes(d_end - 16 * (w0 + w - 1))};
      kValueFns[nq - 1][w - 1](r, b);
      pf = nullptr;
    }
  }
}

void values_avx512(const ValueRange& r) {
  int32_t c = 0;
  for (; c < r.n_cells; c += kValueCells) {
    const int32_t n = std::min(kValueCells, r.n_cells - c);
    const bool ahead = c + n + kPrefetchCells <= readable(r.n_cells, r.n_readable);
    values_cells(r, c, n, ahead ? r.v + (c + kPrefetchCells) * r.v_stride : nullptr);
  }
}

// ---------------------------------------------------------------- value tiles

// Rows whose probabilities a value tile holds as floats at once.
constexpr int32_t kTileRows = 16;

// One block of a value tile: the V rows as f32, the probabilities as
// floats and as per-cell add masks (all ones where the f16 is nonzero).
struct ValueTileBlock {
  const float* vb;       // [n_cells][dp] f32 V rows (zero past dim), at dim d0
  int32_t dp;            // floats between cells in vb
  const float* pb;       // [rows][16] probabilities of head g0, cell c0 on
  const uint16_t* mk;    // [rows][16] masks
  float* out;            // head g0's output at dim d0
  int32_t n_cells;
  __mmask16 last;        // lanes of the last zmm that are in the row
};

// Whether a value tile block masks its adds (some probability is zero) or
// not (none is: the same result without the mask registers).
enum class ZeroProbs { kSome, kNone };

// As values_block<NQ, W>, from the buffers: the same operations per lane.
template <int NQ, int W, ZeroProbs Z>
void values_tile_block(const ValueRange& r, const ValueTileBlock& b) {
  __m512 acc[NQ][W];
#pragma GCC unroll 4
  for (int g = 0; g < NQ; ++g) {
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
      acc[g][w] = _mm512_maskz_loadu_ps(w == W - 1 ? b.last : __mmask16{0xffff}, b.out + g * r.dim + 16 * w);
    }
  }
  for (int32_t c = 0; c < b.n_cells; ++c) {
    const float* row = b.vb + static_cast<int64_t>(c) * b.dp;
    __m512 p[NQ];
    __mmask16 m[NQ];
#pragma GCC unroll 4
    for (int g = 0; g < NQ; ++g) {
      p[g] = _mm512_set1_ps(b.pb[g * 16 + c]);
      if constexpr (Z == ZeroProbs::kSome) {
        m[g] = _load_mask16(reinterpret_cast<__mmask16*>(const_cast<uint16_t*>(b.mk + g * 16 + c)));
      }
    }
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
      const __m512 v = _mm512_load_ps(row + 16 * w);
#pragma GCC unroll 4
      for (int g = 0; g < NQ; ++g) {
        if constexpr (Z == ZeroProbs::kSome) {
          acc[g][w] = _mm512_mask_add_ps(acc[g][w], m[g], acc[g][w], _mm512_mul_ps(p[g], v));
        } else {
          acc[g][w] = _mm512_add_ps(acc[g][w], _mm512_mul_ps(p[g], v));
        }
      }
    }
  }
#pragma GCC unroll 4
  for (int g = 0; g < NQ; ++g) {
#pragma GCC unroll 8
    for (int w = 0; w < W; ++w) {
      _mm512_mask_storeu_ps(b.out + g * r.dim + 16 * w, w == W - 1 ? b.last : __mmask16{0xffff}, acc[g][w]);
    }
  }
}

using ValueTileFn = void (*)(const ValueRange&, const ValueTileBlock&);

template <ZeroProbs Z, int NQ, int... Ws>
constexpr std::array<ValueTileFn, sizeof...(Ws)> value_tile_row(std::integer_sequence<int, Ws...>) {
  return {&values_tile_block<NQ, Ws + 1, Z>...};
}

template <ZeroProbs Z, int... NQs>
constexpr std::array<std::array<ValueTileFn, kMaxValueZmm>, sizeof...(NQs)> value_tile_table(
    std::integer_sequence<int, NQs...>) {
  return {value_tile_row<Z, NQs + 1>(std::make_integer_sequence<int, kMaxValueZmm>{})...};
}

// kValueTileFns[z][nq - 1][w - 1]: z = ZeroProbs, nq heads, w zmm.
constexpr std::array<std::array<std::array<ValueTileFn, kMaxValueZmm>, kMaxValueHeads>, 2> kValueTileFns = {
    value_tile_table<ZeroProbs::kSome>(std::make_integer_sequence<int, kMaxValueHeads>{}),
    value_tile_table<ZeroProbs::kNone>(std::make_integer_sequence<int, kMaxValueHeads>{})};

// The n V rows at v0 into vb ([n][dp] f32, zero past dim); prefetches the
// rows at pf (same stride) if not null.
void convert_v_block(const ValueRange& r, const uint16_t* v0, int32_t n, float* vb, int32_t dp, const uint16_t* pf) {
  for (int32_t c = 0; c < n; ++c) {
    const uint16_t* row = v0 + c * r.v_stride;
    for (int32_t d = 0; d < dp; d += 16) {
      const __mmask16 m = r.dim - d >= 16 ? __mmask16{0xffff} : lanes(r.dim - d);
      _mm512_store_ps(vb + static_cast<int64_t>(c) * dp + d, load_f16x16(row + d, m));
    }
    if (pf != nullptr) prefetch_row(pf + c * r.v_stride, r.dim);
  }
}

// values() for many query rows: each block of 16 V rows is converted to f32
// once, and each row's 16 probabilities to floats and add masks, then every
// group of rows takes them from L1. Same bits as values().
void values_tile_avx512(const ValueRange& r) {
  if (r.n_q <= 4 || r.dim > kTileMaxDim) {
    values_avx512(r);
    return;
  }
  alignas(64) float vb[kValueCells * kTileMaxDim];
  alignas(64) float pb[kTileRows * 16];
  alignas(64) uint16_t mk[kTileRows * 16];
  const int32_t dp = (r.dim + 15) / 16 * 16, n16 = dp / 16;
  for (int32_t c = 0; c < r.n_cells; c += kValueCells) {
    const int32_t n = std::min(kValueCells, r.n_cells - c);
    const bool ahead = c + n + kPrefetchCells <= readable(r.n_cells, r.n_readable);
    convert_v_block(r, r.v + c * r.v_stride, n, vb, dp, ahead ? r.v + (c + kPrefetchCells) * r.v_stride : nullptr);
    for (int32_t g0 = 0; g0 < r.n_q; g0 += kTileRows) {
      const int32_t rows = std::min(kTileRows, r.n_q - g0);
      uint32_t full = 0;  // bit g: row g's probabilities of the block are all nonzero
      for (int32_t g = 0; g < rows; ++g) {
        const __m256i h = _mm256_maskz_loadu_epi16(lanes(n), r.probs + (g0 + g) * probs_ld(r) + c);
        _mm512_store_ps(pb + g * 16, _mm512_cvtph_ps(h));
        const __mmask16 nz = _mm256_test_epi16_mask(h, h);
        _mm256_store_si256(reinterpret_cast<__m256i*>(mk + g * 16), _mm256_movm_epi16(nz));
        full |= static_cast<uint32_t>(nz == lanes(n)) << g;
      }
      for (int32_t g = 0; g < rows; g += kMaxValueHeads) {
        const int32_t nq = std::min<int32_t>(kMaxValueHeads, rows - g);
        const uint32_t group_bits = ((1u << nq) - 1u) << g;
        const auto z = static_cast<size_t>((full & group_bits) == group_bits ? ZeroProbs::kNone : ZeroProbs::kSome);
        const int32_t w_max = std::min<int32_t>(kMaxValueZmm, 16 / nq);
        for (int32_t w0 = 0; w0 < n16; w0 += w_max) {
          const int32_t w = std::min(w_max, n16 - w0);
          const int32_t d_end = std::min(r.dim, 16 * (w0 + w));
          const ValueTileBlock b{.vb = vb + 16 * w0,
                                 .dp = dp,
                                 .pb = pb + g * 16,
                                 .mk = mk + g * 16,
                                 .out = r.out + static_cast<int64_t>(g0 + g) * r.dim + 16 * w0,
                                 .n_cells = n,
                                 .last = lanes(d_end - 16 * (w0 + w - 1))};
          kValueTileFns[z][nq - 1][w - 1](r, b);
        }
      }
    }
  }
}

constexpr AttnRowKernels kAvx512{"avx512",       scores_avx512, values_avx512,       dot_f16_avx512,
                                 axpy_f16_avx512, exp_sub_avx512, max_avx512,  to_f16_scaled_avx512,
                                 scores_tile_avx512, values_tile_avx512};

}  // namespace

const AttnRowKernels* attn_row_kernels_avx512() {
  const CpuFeatures& f = cpu_features();
  return f.avx2 && f.avx512 ? &kAvx512 : nullptr;
}

}  // namespace hako::ops
