// Loop bookkeeping shared by the x86 GEMMs (gemm_avx2.cpp, gemm_avx512.cpp),
// which walk the same blocking: token block > 64-row chunk > K-chunk >
// 8-row panel, and prefetch the next panel's weight bytes while the current
// one runs. Included by each GEMM file, compiled with its own flags (internal
// linkage, as avx_common.h). Not here: the unpackers or the tile kernels.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "kernels/dispatch.h"

namespace hako::x86 {
namespace {

inline constexpr int kPanelRows = 8;  // rows per unpacked panel

// Position of a panel in Gemm::mul_mat's loops: first row, first group.
struct PanelPos {
  int64_t rg, g0;
};

// The loops' bounds: the current 64-row chunk [rc, rc1), the thread's row
// end, the groups of a row and the K-chunk size.
struct ChunkBounds {
  int64_t rc, rc1, row1, n_groups, kc;
};

// The panel unpacked after `p` (loop order: chunk > K-chunk > panel).
inline PanelPos next_panel(PanelPos p, const ChunkBounds& b) {
  if (p.rg + kPanelRows < b.rc1) return {p.rg + kPanelRows, p.g0};
  if (p.g0 + b.kc < b.n_groups) return {b.rc, p.g0 + b.kc};
  return {b.rc1, 0};
}

// Asks for the bytes of groups [g0, g0 + n) of weight row `row` (the next
// panel's): rows are strided and read in short pieces, which the hardware
// prefetchers do not follow. For x8 weights the panel's bytes are one
// contiguous run of the group's columns; "row" r % 8 asks for its r-th eighth.
template <bool kX8>
inline void prefetch_row(const MatmulTask& t, int64_t row, int64_t g0, int64_t n) {
  const int64_t n_groups = t.n_in / 32;
  const uint64_t bytes_per_group = t.w_row_bytes / static_cast<uint64_t>(n_groups);
  uint64_t b0 = static_cast<uint64_t>(g0) * bytes_per_group;
  uint64_t b1 = std::min<uint64_t>(t.w_row_bytes, static_cast<uint64_t>(g0 + n) * bytes_per_group);
  const uint8_t* p = t.w + static_cast<uint64_t>(row) * t.w_row_bytes;
  if constexpr (kX8) {
    const uint64_t part = b1 - b0;
    const auto r = static_cast<uint64_t>(row % kPanelRows);
    p = t.w + static_cast<uint64_t>(row - row % kPanelRows) * t.w_row_bytes;
    b1 = kPanelRows * b0 + (r + 1) * part;
    b0 = kPanelRows * b0 + r * part;
  }
  for (uint64_t b = b0 & ~uint64_t{63}; b < b1; b += 64) _mm_prefetch(reinterpret_cast<const char*>(p + b), _MM_HINT_T0);
}

}  // namespace
}  // namespace hako::x86
