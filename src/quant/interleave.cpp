// The x8 row layout (see interleave.h): both directions, one block column at
// a time; used once per tensor at load and by the reference kernels.
#include "quant/interleave.h"

#include <cstring>

#include "base/error.h"
#include "quant/traits.h"

namespace hako {
namespace {

constexpr int kScaleBytes = 2;  // one f16 per block
constexpr int kPiece = 4;       // bytes of a row per chunk

uint64_t block_bytes(GgmlType t) { return type_info(t).type_size; }

// Plain blocks are written into their interleaved column `col` here; the
// way back is x8_block_from_column (interleave.h).
struct ColumnShape {
  int n_chunks;
  uint32_t flip;
};

void block_to_x8(const uint8_t* blk, const ColumnShape& cs, int r, uint8_t* col) {
  std::memcpy(col + x8_scale_offset(r), blk, kScaleBytes);
  for (int c = 0; c < cs.n_chunks; ++c) {
    uint32_t v;
    std::memcpy(&v, blk + kScaleBytes + c * kPiece, kPiece);
    v ^= cs.flip;
    std::memcpy(col + x8_piece_offset(c, r), &v, kPiece);
  }
}

ColumnShape column_shape(GgmlType t) {
  return {static_cast<int>((type_info(t).type_size - kScaleBytes) / kPiece), x8_code_flip(t)};
}

}  // namespace

bool has_x8_layout(GgmlType t) { return t == GgmlType::Q4_0 || t == GgmlType::Q8_0; }

void interleave_x8(GgmlType t, const uint8_t* src, uint8_t* dst, int64_t n_rows, int64_t n_in) {
  HAKO_ASSERT(has_x8_layout(t) && n_rows % kX8Rows == 0 && n_in % 32 == 0);
  const uint64_t rb = row_bytes(t, static_cast<uint64_t>(n_in));
  const uint64_t bb = block_bytes(t);
  const ColumnShape cs = column_shape(t);
  const int64_t nb = n_in / 32;
  for (int64_t g = 0; g < n_rows; g += kX8Rows) {
    const uint64_t base = static_cast<uint64_t>(g) * rb;
    for (int64_t b = 0; b < nb; ++b) {
      uint8_t* col = dst + base + static_cast<uint64_t>(b) * bb * kX8Rows;
      for (int r = 0; r < kX8Rows; ++r) block_to_x8(src + base + r * rb + static_cast<uint64_t>(b) * bb, cs, r, col);
    }
  }
}

void deinterleave_x8(GgmlType t, const X8Slice& s, uint8_t* dst) {
  HAKO_ASSERT(has_x8_layout(t) && s.r >= 0 && s.r < kX8Rows && s.b0 >= 0 && s.b0 + s.nb <= s.n_in / 32);
  const uint64_t bb = block_bytes(t);
  const ColumnShape cs = column_shape(t);
  for (int64_t b = 0; b < s.nb; ++b) {
    x8_block_from_column(s.group + static_cast<uint64_t>(s.b0 + b) * bb * kX8Rows, s.r, cs.n_chunks, cs.flip,
                         dst + static_cast<uint64_t>(b) * bb);
  }
}

void x8_row_to_float(GgmlType t, const uint8_t* group, int64_t n_in, int r, float* dst) {
  const ToFloatFn to_float = quant_traits(t).to_float;
  alignas(8) uint8_t blk[64];
  for (int64_t b = 0; b < n_in / 32; ++b) {
    deinterleave_x8(t, X8Slice{.group = group, .n_in = n_in, .r = r, .b0 = b, .nb = 1}, blk);
    to_float(blk, dst + 32 * b, 32);
  }
}

}  // namespace hako
