// AVX2 + F16C + FMA attention row primitives, bit-identical to the scalar
// reference in attn_rows.cpp (same lane layout and reduction order; FMA only
// where the reference calls std::fma). Compiled with the avx2 flags and used
// only when cpu_features() reports AVX2.
#include <immintrin.h>

#include <cstdint>

#include "base/cpu_features.h"
#include "base/fp16.h"
#include "kernels/ops/attn_rows.h"
#include "kernels/ops/f16_inline.h"

namespace hako::ops {
namespace {

__m256 load_f16(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

inline float dot_f16_avx2(const uint16_t* k, const float* q, int32_t n) {
  __m256 acc = _mm256_setzero_ps();
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) acc = _mm256_add_ps(acc, _mm256_mul_ps(load_f16(k + i), _mm256_loadu_ps(q + i)));
  float tail = 0.0f;
  for (; i < n; ++i) tail = tail + f16_bits_to_f32(k[i]) * q[i];
  const __m128 t = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));  // l, l+4
  const __m128 u = _mm_add_ps(t, _mm_movehl_ps(t, t));                                        // t0+t2, t1+t3
  const __m128 r = _mm_add_ss(u, _mm_movehdup_ps(u));
  return _mm_cvtss_f32(r) + tail;
}

inline void axpy_f16_avx2(float a, const uint16_t* v, float* y, int32_t n) {
  const __m256 va = _mm256_set1_ps(a);
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_mul_ps(va, load_f16(v + i))));
  }
  for (; i < n; ++i) y[i] = y[i] + a * f16_bits_to_f32(v[i]);
}

__m256 exp_ggml_avx2(__m256 x) {
  const __m256 r = _mm256_set1_ps(0x1.8p23f);
  const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), r);
  const __m256 n = _mm256_sub_ps(z, r);
  const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.7f7d1cp-20f),
                                    _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e4p-1f), x));
  const __m256 u = _mm256_mul_ps(b, b);
  const __m256 j = _mm256_fmadd_ps(
      _mm256_fmadd_ps(_mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), b, _mm256_set1_ps(0x1.573e2ep-5f)), u,
                      _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), b, _mm256_set1_ps(0x1.fffdb6p-2f))),
      u, _mm256_fmadd_ps(_mm256_set1_ps(0x1.ffffecp-1f), b, _mm256_set1_ps(1.0f)));
  const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  const __m256 res = _mm256_mul_ps(j, _mm256_castsi256_ps(e));
  // |n| > 126 (or NaN): 0 below, +inf above.
  const __m256 abs_n = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
  const __m256 in_range = _mm256_cmp_ps(abs_n, _mm256_set1_ps(126.0f), _CMP_LE_OQ);
  const __m256 alt = _mm256_blendv_ps(_mm256_set1_ps(__builtin_inff()), _mm256_setzero_ps(),
                                      _mm256_cmp_ps(n, _mm256_setzero_ps(), _CMP_LE_OQ));
  return _mm256_blendv_ps(alt, res, in_range);
}

// Lanes 0-3 in lo, 4-7 in hi -> ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).
inline double reduce8_pd(__m256d lo, __m256d hi) {
  const __m256d t = _mm256_add_pd(lo, hi);
  const __m128d u = _mm_add_pd(_mm256_castpd256_pd128(t), _mm256_extractf128_pd(t, 1));
  return _mm_cvtsd_f64(_mm_add_sd(u, _mm_unpackhi_pd(u, u)));
}

double exp_sub_avx2(float* x, int32_t n, float max) {
  const __m256 vmax = _mm256_set1_ps(max);
  __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 e = exp_ggml_avx2(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmax));
    _mm256_storeu_ps(x + i, e);
    lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(e)));
    hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1)));
  }
  double tail = 0.0;
  for (; i < n; ++i) {
    x[i] = exp_ggml(x[i] - max);
    tail += x[i];
  }
  return reduce8_pd(lo, hi) + tail;
}

float max_avx2(const float* x, int32_t n) {
  __m256 m = _mm256_set1_ps(-__builtin_inff());
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) m = _mm256_max_ps(_mm256_loadu_ps(x + i), m);  // NaN x keeps m
  __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
  h = _mm_max_ps(h, _mm_movehl_ps(h, h));
  h = _mm_max_ss(h, _mm_movehdup_ps(h));
  float r = _mm_cvtss_f32(h);
  for (; i < n; ++i) r = x[i] > r ? x[i] : r;
  return r;
}

void to_f16_scaled_avx2(const float* x, float s, uint16_t* y, int32_t n) {
  const __m256 vs = _mm256_set1_ps(s);
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i h = _mm256_cvtps_ph(_mm256_mul_ps(_mm256_loadu_ps(x + i), vs), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(y + i), h);
  }
  for (; i < n; ++i) y[i] = f32_to_f16(x[i] * s);
}

// 8 lanes -> the reference's reduction ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).
inline float reduce8(__m256 acc) {
  const __m128 t = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  const __m128 u = _mm_add_ps(t, _mm_movehl_ps(t, t));
  return _mm_cvtss_f32(_mm_add_ss(u, _mm_movehdup_ps(u)));
}

// Rows this many cells ahead are prefetched: the cache interleaves the KV
// heads of a cell, so one head's rows are strided (n_head_kv * dim halves)
// and the hardware streamer, which stays within a page, misses most of them.
constexpr int32_t kPrefetchCells = 8;

inline void prefetch_row(const uint16_t* row, int32_t dim) {
  const char* p = reinterpret_cast<const char*>(row);
  for (int32_t b = 0; b < dim * 2; b += 64) _mm_prefetch(p + b, _MM_HINT_T0);
}

// Eight cells at a time: eight independent add chains (the add latency,
// not the loads, bounds one chain), each cell's dot in exactly the
// reference's order.
constexpr int kScoreCells = 8;

void scores_block(const ScoreRange& r, int32_t c, int32_t n8) {
  const uint16_t* k0 = r.k + c * r.k_stride;
  if (c + kScoreCells + kPrefetchCells <= readable(r.n_cells, r.n_readable)) {
    for (int j = 0; j < kScoreCells; ++j) prefetch_row(k0 + (kPrefetchCells + j) * r.k_stride, r.dim);
  }
  for (int32_t g = 0; g < r.n_q; ++g) {
    const float* q = r.q + static_cast<int64_t>(g) * r.dim;
    __m256 acc[kScoreCells];
#pragma GCC unroll 8
    for (int j = 0; j < kScoreCells; ++j) acc[j] = _mm256_setzero_ps();
    for (int32_t i = 0; i < n8; i += 8) {
      const __m256 vq = _mm256_loadu_ps(q + i);
#pragma GCC unroll 8
      for (int j = 0; j < kScoreCells; ++j) {
        acc[j] = _mm256_add_ps(acc[j], _mm256_mul_ps(load_f16(k0 + j * r.k_stride + i), vq));
      }
    }
    float* out = r.scores + g * scores_ld(r) + c;
    for (int j = 0; j < kScoreCells; ++j) {
      const uint16_t* row = k0 + j * r.k_stride;
      float tail = 0.0f;
      for (int32_t i = n8; i < r.dim; ++i) tail = tail + f16_bits_to_f32(row[i]) * q[i];
      out[j] = (reduce8(acc[j]) + tail) * r.scale;
    }
  }
}

void scores_avx2(const ScoreRange& r) {
  const int32_t n8 = r.dim / 8 * 8;
  int32_t c = 0;
  for (; c + kScoreCells <= r.n_cells; c += kScoreCells) scores_block(r, c, n8);
  for (; c < r.n_cells; ++c) {
    const uint16_t* krow = r.k + c * r.k_stride;
    for (int32_t g = 0; g < r.n_q; ++g) {
      r.scores[g * scores_ld(r) + c] =
          dot_f16_avx2(krow, r.q + static_cast<int64_t>(g) * r.dim, r.dim) * r.scale;
    }
  }
}

// Cells outer in blocks of four, the V rows read from memory once per block
// (sequentially) for every query head of the group (the later heads find
// them in L1). A head's outputs are loaded and stored once per block and
// take p * v of the block's cells with nonzero p in order, so each output
// element accumulates exactly as in the reference (zeros skipped).
constexpr int32_t kValueCells = 4;

void values_block(const ValueRange& r, int32_t c, int32_t n8) {
  const uint16_t* rows = r.v + c * r.v_stride;
  if (c + kValueCells + kPrefetchCells <= readable(r.n_cells, r.n_readable)) {
    for (int j = 0; j < kValueCells; ++j) prefetch_row(rows + (kPrefetchCells + j) * r.v_stride, r.dim);
  }
  for (int32_t g = 0; g < r.n_q; ++g) {
    __m256 p[kValueCells];
    const uint16_t* v[kValueCells];
    int n = 0;
    for (int j = 0; j < kValueCells; ++j) {
      const uint16_t h = r.probs[g * probs_ld(r) + c + j];
      if (h == 0) continue;
      p[n] = _mm256_set1_ps(f16_bits_to_f32(h));
      v[n++] = rows + j * r.v_stride;
    }
    float* y = r.out + static_cast<int64_t>(g) * r.dim;
    if (n == kValueCells) {
      for (int32_t i = 0; i < n8; i += 8) {
        __m256 o = _mm256_loadu_ps(y + i);
#pragma GCC unroll 4
        for (int j = 0; j < kValueCells; ++j) o = _mm256_add_ps(o, _mm256_mul_ps(p[j], load_f16(v[j] + i)));
        _mm256_storeu_ps(y + i, o);
      }
    } else if (n > 0) {
      for (int32_t i = 0; i < n8; i += 8) {
        __m256 o = _mm256_loadu_ps(y + i);
        for (int j = 0; j < n; ++j) o = _mm256_add_ps(o, _mm256_mul_ps(p[j], load_f16(v[j] + i)));
        _mm256_storeu_ps(y + i, o);
      }
    }
  }
}

// The dims past the last multiple of 8 of cell c, as the reference.
void values_tail(const ValueRange& r, int32_t c, int32_t n8) {
  const uint16_t* vrow = r.v + c * r.v_stride;
  for (int32_t g = 0; g < r.n_q; ++g) {
    const uint16_t p = r.probs[g * probs_ld(r) + c];
    if (p != 0) axpy_f16_avx2(f16_bits_to_f32(p), vrow + n8, r.out + static_cast<int64_t>(g) * r.dim + n8, r.dim - n8);
  }
}

// Full blocks first, then the leftover cells one at a time; columns past
// n8 are independent of the others and done per cell in order.
void values_avx2(const ValueRange& r) {
  const int32_t n8 = r.dim / 8 * 8;
  int32_t c = 0;
  for (; c + kValueCells <= r.n_cells; c += kValueCells) values_block(r, c, n8);
  for (; c < r.n_cells; ++c) {
    for (int32_t g = 0; g < r.n_q; ++g) {
      const uint16_t p = r.probs[g * probs_ld(r) + c];
      if (p != 0) axpy_f16_avx2(f16_bits_to_f32(p), r.v + c * r.v_stride, r.out + static_cast<int64_t>(g) * r.dim, n8);
    }
  }
  if (n8 == r.dim) return;
  for (c = 0; c < r.n_cells; ++c) values_tail(r, c, n8);
}

constexpr AttnRowKernels kAvx2{"avx2",       scores_avx2, values_avx2,       dot_f16_avx2, axpy_f16_avx2,
                               exp_sub_avx2, max_avx2,    to_f16_scaled_avx2, scores_avx2, values_avx2};

}  // namespace

const AttnRowKernels* attn_row_kernels_avx2() { return cpu_features().avx2 ? &kAvx2 : nullptr; }

}  // namespace hako::ops
