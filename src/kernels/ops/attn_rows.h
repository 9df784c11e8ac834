// Row primitives of attention over an f16 cache, one implementation per
// instruction set, all bit-identical to the scalar reference (same
// operations in the same order, no fused multiply-add except where the
// reference uses std::fma): an f16.f32 dot product, y += a * v for an f16
// row, exp(x - max) over a row (the polynomial of ggml's vectorised expf)
// with its sum, a row's max, and rounding a scaled row to f16. The dispatcher picks the best level once
// (HAKO_KERNELS=ref or =avx2 forces that level). Knows nothing about attention's
// shapes; attention.cpp composes them.
#pragma once

#include <cstdint>

namespace hako::ops {

// Scores of one KV head's cells for the query heads sharing it:
// scores[g * ld + c] = dot_f16(k + c * k_stride, q + g * dim) * scale, where
// ld = scores_stride (n_cells if 0). Rows of cells [n_cells, n_readable)
// exist too and may be prefetched (a caller working in blocks of cells
// passes the rest of its range), never read.
struct ScoreRange {
  const uint16_t* k = nullptr;  // cell 0's row of this KV head
  int64_t k_stride = 0;         // halves between cells
  int32_t n_cells = 0;
  const float* q = nullptr;     // [n_q][dim] (already rounded to f16 values)
  int32_t n_q = 0;
  int32_t dim = 0;
  float scale = 1.0f;
  float* scores = nullptr;      // [n_q][scores_stride]
  int64_t scores_stride = 0;    // floats between heads' rows; 0: n_cells
  int32_t n_readable = 0;       // cells whose rows exist (<= n_cells: n_cells)
};

// out[g] += f16(probs[g * ld + c]) * v(c) over the cells in order, skipping
// zero probabilities (multiply, then add); ld = probs_stride (n_cells if 0).
struct ValueRange {
  const uint16_t* v = nullptr;  // cell 0's row of this KV head
  int64_t v_stride = 0;
  int32_t n_cells = 0;
  const uint16_t* probs = nullptr;  // [n_q][probs_stride] f16
  int32_t n_q = 0;
  int32_t dim = 0;
  float* out = nullptr;         // [n_q][dim]
  int64_t probs_stride = 0;     // halves between heads' rows; 0: n_cells
  int32_t n_readable = 0;       // as in ScoreRange
};

// The row strides and readable cells of a range, defaults resolved.
inline int64_t scores_ld(const ScoreRange& r) { return r.scores_stride != 0 ? r.scores_stride : r.n_cells; }
inline int64_t probs_ld(const ValueRange& r) { return r.probs_stride != 0 ? r.probs_stride : r.n_cells; }
inline int32_t readable(int32_t n_cells, int32_t n_readable) { return n_readable > n_cells ? n_readable : n_cells; }

struct AttnRowKernels {
  const char* name;
  void (*scores)(const ScoreRange& r);
  void (*values)(const ValueRange& r);
  // sum_i f16(k[i]) * q[i]: 8 lanes (lane l takes i = l mod 8), reduced as
  // ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)), plus the tail (n mod 8) summed in order.
  float (*dot_f16)(const uint16_t* k, const float* q, int32_t n);
  // y[i] = y[i] + a * f16(v[i]) (a multiply, then an add).
  void (*axpy_f16)(float a, const uint16_t* v, float* y, int32_t n);
  // x[i] = exp(x[i] - max); exp(-inf) = 0; inputs below about -87.3 give 0.
  // Returns sum_i x[i] (the new values) in double: 8 lanes (lane l takes
  // i = l mod 8), reduced as dot_f16's, plus the tail (n mod 8) in order.
  double (*exp_sub)(float* x, int32_t n, float max);
  // The largest x[i]; -inf if n == 0 (NaNs are passed over).
  float (*max)(const float* x, int32_t n);
  // y[i] = f16(x[i] * s), round to nearest even.
  void (*to_f16_scaled)(const float* x, float s, uint16_t* y, int32_t n);
  // scores and values for many query rows (a prefill tile: n_q > 4), the
  // same bits: a level may convert each block of K or V rows to f32 once
  // for all the rows (AVX-512 does; the others are scores and values).
  void (*scores_tile)(const ScoreRange& r);
  void (*values_tile)(const ValueRange& r);
};

// The kernels used by attention(): chosen on first call, never changes.
const AttnRowKernels& attn_row_kernels();
// The scalar reference.
const AttnRowKernels& attn_row_kernels_ref();
// The AVX2 + F16C + FMA level, or nullptr if not built or not supported here.
const AttnRowKernels* attn_row_kernels_avx2();
// The AVX-512 (F, BW, VL) level, or nullptr if not built or not supported here.
const AttnRowKernels* attn_row_kernels_avx512();

// ggml's vector expf (the AVX-512 variant's polynomial), one value.
float exp_ggml(float x);

}  // namespace hako::ops
