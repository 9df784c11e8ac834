// The byte layout of a quantize_acts() buffer, shared by the activation
// quantizers (acts.cpp) and the kernels that read it. Three parts, each
// 64-byte aligned:
//   rows:  n_tok rows of ggml blocks of the act type (what the reference dot reads)
//   side:  group_d [n_tok][n_in/32] float, group_sum [n_tok][n_in/32] int32,
//          quad_nsum [n_tok][n_in/4] int32 (q8 act types only): the scale and
//          the code sum of each 32-group, minus the sum of each 4 codes
//   tiles: optional token-interleaved copy for the GEMM kernels, below.
// Tiles: tokens are cut into tiles of W (tile_tokens) tokens; the last tile
// is padded with zero tokens. Each tile holds, for each 32-element group g,
// one TileGroup of W tokens (struct below, with arrays of W entries), tiles
// ordered [tile][group]. Interleaving tokens in 4-byte steps lets an SIMD
// kernel multiply one broadcast 4-byte piece of a weight row with W tokens
// at once (x86 vpdpbusd, ARM sdot), so every weight byte unpacked once feeds
// W tokens. Not here: how kernels use it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/dispatch.h"
#include "kernels/matmul.h"

namespace hako::acts_layout {

inline constexpr int kGroup = 32;       // elements per group of the side data and tiles
inline constexpr int kMaxTileTokens = 16;

inline constexpr size_t align64(size_t n) { return (n + 63) & ~size_t{63}; }

// Byte offsets, within one tile, of the arrays of group g (W = tile tokens).
// Every act type has the first three; q8_1 adds dsum32; q8_K adds all.
//   qs:     int8  [8][W][4]  codes: bytes 4k..4k+3 of token w at qs[k][w]
//   bias32: int32 [W]        -128 * (sum of the 32 codes)  (x86 unsigned-offset trick)
//   d:      float [W]        the group's scale
//   dsum32: float [W]        q8_1: its stored s; else d * sum of the 32 codes
//   bias16: int32 [2][W]     -128 * (sum of codes 0..15 / 16..31)
//   dsum16: float [2][W]     d * sum of codes 0..15 / 16..31
struct TileGroupOffsets {
  static constexpr size_t qs(int) { return 0; }
  static constexpr size_t bias32(int w) { return size_t(32) * w; }
  static constexpr size_t d(int w) { return size_t(36) * w; }
  static constexpr size_t dsum32(int w) { return size_t(40) * w; }
  static constexpr size_t bias16(int w) { return size_t(44) * w; }
  static constexpr size_t dsum16(int w) { return size_t(52) * w; }
};

// Bytes of one group of one tile for act type `act` (q8_0, q8_1 or q8_K).
constexpr size_t tile_group_bytes(GgmlType act, int w) {
  return size_t(act == GgmlType::Q8_K ? 60 : act == GgmlType::Q8_1 ? 44 : 40) * w;
}

inline int64_t n_tiles(int64_t n_tok, int w) { return w > 0 ? (n_tok + w - 1) / w : 0; }
inline size_t tile_bytes(GgmlType act, int64_t n_in, int w) { return size_t(n_in / kGroup) * tile_group_bytes(act, w); }

// True for the act types that carry side data and may be tiled.
inline bool is_q8_act(GgmlType t) {
  return t == GgmlType::Q8_0 || t == GgmlType::Q8_1 || t == GgmlType::Q8_K;
}

struct Layout {
  GgmlType act_type = GgmlType::F32;
  uint64_t row_bytes = 0;
  size_t side_offset = 0;   // group_d, then group_sum, then quad_nsum
  size_t tiles_offset = 0;  // 0 if no tiles
  int tile_tokens = 0;
  size_t total = 0;
};

// The layout for `shape` when tiles of `tile_tokens` tokens (0 = none) are wanted.
Layout layout_for(const ActsShape& shape, int tile_tokens);

// Fills out.group_d, out.group_sum and out.quad_nsum (those not null) of one
// token of n elements from its ggml row out.row (any q8 act type).
void fill_side(GgmlType act_type, int64_t n, const ActRowOut& out);

// Writes tile `tile` (tokens tile*W .. tile*W+W-1, those >= n_tok as zeros)
// from the rows and side data already in place.
void fill_tile(const QuantizedActs& acts, int w, int64_t tile, uint8_t* tile_dst);

}  // namespace hako::acts_layout
