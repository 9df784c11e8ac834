// RowsF32 / ConstRowsF32: non-owning views of `n_rows` rows of `n_cols`
// floats, `stride` floats apart (stride >= n_cols). The ops in this folder take
// and return activations in this form; they know nothing about models,
// layers or threads (callers split work across threads by row ranges).
#pragma once

#include <cstdint>

namespace hako::ops {

struct RowsF32 {
  float* data = nullptr;
  int64_t n_rows = 0;
  int64_t n_cols = 0;
  int64_t stride = 0;  // floats between the starts of consecutive rows

  float* row(int64_t i) const { return data + i * stride; }
  // Rows [first, first + n) of this view.
  RowsF32 slice(int64_t first, int64_t n) const { return {row(first), n, n_cols, stride}; }
  // Columns [first, first + n) of every row (same stride).
  RowsF32 cols(int64_t first, int64_t n) const { return {data + first, n_rows, n, stride}; }
};

struct ConstRowsF32 {
  const float* data = nullptr;
  int64_t n_rows = 0;
  int64_t n_cols = 0;
  int64_t stride = 0;

  ConstRowsF32() = default;
  ConstRowsF32(const float* d, int64_t rows, int64_t cols, int64_t s)
      : data(d), n_rows(rows), n_cols(cols), stride(s) {}
  ConstRowsF32(const RowsF32& r)  // NOLINT: a mutable view converts implicitly
      : data(r.data), n_rows(r.n_rows), n_cols(r.n_cols), stride(r.stride) {}

  const float* row(int64_t i) const { return data + i * stride; }
  ConstRowsF32 slice(int64_t first, int64_t n) const { return {row(first), n, n_cols, stride}; }
};

// A contiguous buffer seen as rows of `n_cols` (stride == n_cols).
inline RowsF32 dense_rows(float* data, int64_t n_rows, int64_t n_cols) {
  return {data, n_rows, n_cols, n_cols};
}

}  // namespace hako::ops
