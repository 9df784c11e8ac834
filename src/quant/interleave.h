// The x8 row layout (tensor/tensor_view.h RowLayout::kX8): weight rows of a
// 32-block format with one f16 scale per block (q4_0, q8_0) interleaved in
// groups of 8 at load, so that one SIMD register holds the same piece of 8
// rows and a kernel computes 8 rows' dot products in its lanes (scales and
// offsets handled once per 8 rows instead of once per row). A group of 8
// rows keeps its 8 * row_bytes bytes; inside it, block column b (the b-th
// block of each row) occupies 8 * block_bytes bytes at offset
// b * 8 * block_bytes:
//   d:  f16 [8]                        the 8 rows' scales, row order
//   qs: [n_chunks][8 rows][4 bytes]    chunk c holds qs bytes 4c..4c+3 of
//                                      each row (q4_0: 4 chunks, q8_0: 8)
// q4_0's bytes are only moved; q8_0's codes are stored plus 128 (each byte
// XOR 0x80, an unsigned code), the form x86's u8 x s8 dot products take.
// Both directions are exact.
// Not here: the kernels that read it (src/kernels/) or when to use it (the
// model loader, model/weight_store.h).
#pragma once

#include <cstdint>
#include <cstring>

#include "tensor/ggml_type.h"

namespace hako {

inline constexpr int kX8Rows = 8;  // rows per interleaved group

// Byte offsets inside one interleaved block column: row r's f16 scale, and
// row r's 4 bytes of chunk c.
constexpr uint64_t x8_scale_offset(int r) { return uint64_t{2} * static_cast<uint64_t>(r); }
constexpr uint64_t x8_piece_offset(int c, int r) {
  return uint64_t{2} * kX8Rows + uint64_t{32} * static_cast<uint64_t>(c) + uint64_t{4} * static_cast<uint64_t>(r);
}

// The XOR that turns stored x8 codes back into the type's codes (and back):
// q8_0 codes are stored plus 128, q4_0 nibbles as they are.
constexpr uint32_t x8_code_flip(GgmlType t) { return t == GgmlType::Q8_0 ? 0x80808080u : 0u; }

// Writes row r's plain block (its f16 scale, then n_chunks 4-byte pieces)
// from the interleaved column `col`. Inline: the GEMM unpackers call it per
// block with constant n_chunks and flip.
inline void x8_block_from_column(const uint8_t* col, int r, int n_chunks, uint32_t flip, uint8_t* blk) {
  std::memcpy(blk, col + x8_scale_offset(r), 2);
  for (int c = 0; c < n_chunks; ++c) {
    uint32_t v;
    std::memcpy(&v, col + x8_piece_offset(c, r), 4);
    v ^= flip;
    std::memcpy(blk + 2 + 4 * c, &v, 4);
  }
}

// True for the types that have an x8 layout.
bool has_x8_layout(GgmlType t);

// Writes n_rows rows of n_in elements (plain, `src`) interleaved to `dst`
// (same byte count). n_rows must be a multiple of 8, t must have an x8
// layout; src and dst must not overlap.
void interleave_x8(GgmlType t, const uint8_t* src, uint8_t* dst, int64_t n_rows, int64_t n_in);

// Where to put one row's blocks: the plain blocks [b0, b0 + nb) of row r
// (0..7) of the group starting at `group`, a group of rows n_in wide.
struct X8Slice {
  const uint8_t* group = nullptr;
  int64_t n_in = 0;
  int r = 0;
  int64_t b0 = 0, nb = 0;
};

// Copies those blocks out in the plain layout (nb * block_bytes bytes at dst).
void deinterleave_x8(GgmlType t, const X8Slice& s, uint8_t* dst);

// Dequantizes row r (0..7) of the group at `group` (n_in elements) into
// dst, exactly as the type's to_float does the plain row. No allocation.
void x8_row_to_float(GgmlType t, const uint8_t* group, int64_t n_in, int r, float* dst);

}  // namespace hako
