// AVX-512 VNNI GEMM for batches (prefill): every quantized weight type times
// token-interleaved q8 activation tiles (kernels/acts_layout.h, 16 tokens per
// tile). Two steps, as iqk separates them:
//  * unpack: a panel of kRows weight rows x a K-chunk of 32-element groups is
//    decoded once into bytes (value + 128, so they are unsigned for vpdpbusd)
//    and float scales / mins, using the same Dequantizers as the direct
//    kernels;
//  * accumulate: a micro-kernel multiplies a broadcast 4-byte piece of a
//    weight row with 16 tokens at once (vpdpbusd zmm), so each unpacked byte
//    feeds 16 tokens, and each 32-group's exact int32 dot (the -128 * sum
//    correction comes with the tile) is scaled once per (row, group, 16
//    tokens): tile_kernel for the 32-block formats, tile_kernel_sb for the
//    K-quants (q8_K activations: one activation scale per 8 groups).
// Loop order: token block (<= 32 tiles) > 64-row chunk > K-chunk (sized so the
// tiles' slice stays in L2) > 8-row panel > tile. While a panel's tiles run,
// the next panel's weight bytes are prefetched (strided short row pieces,
// which the hardware prefetchers miss: the unpack otherwise waits on DRAM).
// Accumulators for the 64-row chunk live on the stack (128 KiB) and leave
// through an 8x16 register transpose; nothing is allocated.
// Cost model (Zen 4, measured): vpdpbusd zmm, FMA and vpmulld zmm share the
// two FP pipes (one per cycle together; cvtdq2ps and broadcasts run
// elsewhere), so a 32-group of 8 rows x 16 tokens costs 64 vpdpbusd plus
// the float scaling: 16 mul/FMA (+8 with mins) for the 32-block formats, 8
// FMA (+8 with mins, +8 for 16-element halves) + 1 per super-block for the
// K-quants. The scaling, not the loads, bounds the kernel (two tiles per
// call, halving the broadcasts, measured slower; so did a per-panel store
// with PREFETCHW of the output lines).
#include <algorithm>

#include "kernels/acts_layout.h"

// GCC 12's _mm512_cvtepi32_ps passes an undefined vector as the merge source,
// which -Wmaybe-uninitialized reports at every inlined use (a false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/registry.h"
#include "kernels/x86/gemm_loops.h"
#include "kernels/x86/kquant_kernels.h"
#include "kernels/x86/legacy_kernels.h"
#include "quant/interleave.h"

namespace hako {
namespace {

using x86::ChunkBounds;
using x86::next_panel;
using x86::PanelPos;
using x86::prefetch_row;

using acts_layout::TileGroupOffsets;
using O = TileGroupOffsets;

constexpr int kW = 16;            // tokens per tile (zmm int32 lanes)
constexpr int kRows = x86::kPanelRows;  // rows per unpacked panel
constexpr int kChunkRows = 64;    // rows whose accumulators stay on the stack
constexpr int kMaxTiles = 32;     // tiles per token block (512 tokens)
constexpr size_t kL2Budget = 384 * 1024;  // bytes of tiles per K-chunk

// Unpacked panel of kRows rows x n groups, group-major. Per group:
// qs [kRows][32] bytes, scale [2][kRows] float, min [2][kRows] float (index
// [h][r] for the 16-element halves h; 32-group types repeat the scale).
constexpr size_t kPanelGroup = kRows * 32 + 4 * kRows * 4;
inline uint8_t* panel_qs(uint8_t* p, int g, int r) { return p + g * kPanelGroup + 32 * r; }
inline float* panel_scale(uint8_t* p, int g) { return reinterpret_cast<float*>(p + g * kPanelGroup + kRows * 32); }
inline float* panel_min(uint8_t* p, int g) { return panel_scale(p, g) + 2 * kRows; }

// Where an unpacker writes: row r of `panel`, groups [g0, g0 + n) of the weight row.
struct PanelSlot {
  uint8_t* panel;
  int r;
  int64_t g0;
  int n;
};

inline void store_codes(uint8_t* dst, __m256i codes) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_xor_si256(codes, _mm256_set1_epi8(static_cast<char>(0x80))));
}

// Unpackers: rows of one format -> panel row r, groups [g0, g0 + n).
template <class Deq>
struct UnpackLegacy {
  static constexpr bool kHalves = false, kMin = Deq::kMin, kSuperblock = false, kX8 = false;
  static void unpack(const uint8_t* row, const PanelSlot& slot) {
    uint8_t* panel = slot.panel;
    const int r = slot.r;
    const auto* b = reinterpret_cast<const typename Deq::Block*>(row) + slot.g0;
    for (int g = 0; g < slot.n; ++g) {
      store_codes(panel_qs(panel, g, r), Deq::codes(b[g]));
      const float s = Deq::scale(b[g]);
      float* sc = panel_scale(panel, g);
      sc[r] = sc[kRows + r] = s;
      if constexpr (kMin) {
        float* mn = panel_min(panel, g);
        mn[r] = mn[kRows + r] = -Deq::min(b[g]);
      }
    }
  }
};

template <class Deq, class Block>
// K-quants pair with q8_K activations (one scale per 256), so the kernel
// runs tile_kernel_sb; mins are stored divided by 128 for it.
struct UnpackK {
  static constexpr bool kHalves = Deq::kHalves, kMin = Deq::kMin, kSuperblock = true, kX8 = false;
  static void unpack(const uint8_t* row, const PanelSlot& slot) {
    uint8_t* panel = slot.panel;
    const int r = slot.r;
    const auto* b = reinterpret_cast<const Block*>(row) + slot.g0 / 8;
    for (int sb = 0; sb < slot.n / 8; ++sb) {
      const Deq deq(b[sb]);
      for (int c = 0; c < 8; ++c) {
        const int g = 8 * sb + c;
        store_codes(panel_qs(panel, g, r), deq.codes(c));
        float* sc = panel_scale(panel, g);
        float* mn = panel_min(panel, g);
        for (int h = 0; h < 2; ++h) {
          sc[h * kRows + r] = deq.group_scale(c, h);
          mn[h * kRows + r] = deq.group_min(c, h) * (1.0f / 128);
        }
      }
    }
  }
};

// x8 weights (quant/interleave.h; q4_0, q8_0): row r's blocks are rebuilt
// from the group's interleaved columns, then unpacked like plain blocks. The
// unpack runs once per panel and K-chunk and feeds up to 512 tokens, so the
// gather costs little next to the tiles.
template <class Deq>
struct UnpackX8 {
  using Block = typename Deq::Block;
  static constexpr bool kHalves = false, kMin = false, kSuperblock = false, kX8 = true;
  static constexpr int kChunks = sizeof(Block::qs) / 4;
  static_assert(!Deq::kMin);
  static void unpack(const uint8_t* group, const PanelSlot& slot) {
    const int r = slot.r;
    for (int g = 0; g < slot.n; ++g) {
      const uint8_t* col = group + static_cast<uint64_t>(slot.g0 + g) * kRows * sizeof(Block);
      Block b;
      x8_block_from_column(col, r, kChunks, x8_code_flip(Block::kType), reinterpret_cast<uint8_t*>(&b));
      store_codes(panel_qs(slot.panel, g, r), Deq::codes(b));
      float* sc = panel_scale(slot.panel, g);
      sc[r] = sc[kRows + r] = Deq::scale(b);
    }
  }
};

// Rows past the matrix: value 0 (byte 128), scale 0, so they add nothing.
void unpack_empty(const PanelSlot& slot) {
  uint8_t* panel = slot.panel;
  const int r = slot.r;
  for (int g = 0; g < slot.n; ++g) {
    std::memset(panel_qs(panel, g, r), 0x80, 32);
    float* sc = panel_scale(panel, g);
    float* mn = panel_min(panel, g);
    sc[r] = sc[kRows + r] = mn[r] = mn[kRows + r] = 0.0f;
  }
}


// Writes 8 rows x n_w tokens (a[r] lane i = row r, token i) to y[i * stride + r].
inline void store_panel(const __m512* a, float* y, int64_t stride, int n_w) {
  __m512 u[kRows];
  for (int h = 0; h < 2; ++h) {  // rows 4h .. 4h + 3
    const __m512 t0 = _mm512_unpacklo_ps(a[4 * h], a[4 * h + 1]), t1 = _mm512_unpackhi_ps(a[4 * h], a[4 * h + 1]);
    const __m512 t2 = _mm512_unpacklo_ps(a[4 * h + 2], a[4 * h + 3]), t3 = _mm512_unpackhi_ps(a[4 * h + 2], a[4 * h + 3]);
    // u[4h + j], 128-bit lane l: rows 4h .. 4h + 3 of token 4l + j.
    u[4 * h + 0] = _mm512_shuffle_ps(t0, t2, 0x44);
    u[4 * h + 1] = _mm512_shuffle_ps(t0, t2, 0xee);
    u[4 * h + 2] = _mm512_shuffle_ps(t1, t3, 0x44);
    u[4 * h + 3] = _mm512_shuffle_ps(t1, t3, 0xee);
  }
  alignas(64) float buf[kW][kRows];
  for (int j = 0; j < 4; ++j) {
    // Lanes (l, 4 + l) for tokens 4l + j: rows 0..3 then 4..7, two tokens per store.
    const __m512 lo = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x44);  // l = 0, 1: r0-3 t(j), r0-3 t(4+j), r4-7 t(j), r4-7 t(4+j)
    const __m512 hi = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xee);  // l = 2, 3
    const __m512 lo2 = _mm512_shuffle_f32x4(lo, lo, 0xd8);         // r0-3 t(j), r4-7 t(j), r0-3 t(4+j), r4-7 t(4+j)
    const __m512 hi2 = _mm512_shuffle_f32x4(hi, hi, 0xd8);
    _mm256_store_ps(buf[j], _mm512_castps512_ps256(lo2));
    _mm256_store_ps(buf[4 + j], _mm512_extractf32x8_ps(lo2, 1));
    _mm256_store_ps(buf[8 + j], _mm512_castps512_ps256(hi2));
    _mm256_store_ps(buf[12 + j], _mm512_extractf32x8_ps(hi2, 1));
  }
  for (int i = 0; i < n_w; ++i) _mm256_storeu_ps(y + i * stride, _mm256_load_ps(buf[i]));
}

inline __m512i bcast4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

// One tile's slice for the micro-kernel: n groups, xstride bytes apart.
struct TileSlice {
  const uint8_t* x;
  size_t xstride;
  int n;
};

// Sums the int dots of one group's (half-)group of 8 rows x one tile into
// ai, starting from the tile's bias (the -128 * code-sum correction).
// Pieces k0 .. k0 + n_k - 1 (4 bytes each) of the 32-byte group.
inline void group_dots(const uint8_t* qs, const uint8_t* xg, __m512i bias, int k0, int n_k, __m512i* ai) {
  for (int r = 0; r < kRows; ++r) ai[r] = bias;
  for (int k = k0; k < k0 + n_k; ++k) {
    const __m512i xv = _mm512_loadu_si512(xg + 64 * k);
    for (int r = 0; r < kRows; ++r) ai[r] = _mm512_dpbusd_epi32(ai[r], bcast4(qs + 32 * r + 4 * k), xv);
  }
}

// acc[r] (16 tokens of row r) += the panel's groups times one tile's slice,
// for the 32-block formats (q8_0 / q8_1 activations: a scale per group).
template <bool kMin>
void tile_kernel(const TileSlice& ts, uint8_t* panel, __m512* acc) {
  const uint8_t* xg = ts.x;
  for (int g = 0; g < ts.n; ++g, xg += ts.xstride) {
    const float* sc = panel_scale(panel, g);
    const __m512 dv = _mm512_loadu_ps(xg + O::d(kW));
    __m512i ai[kRows];
    group_dots(panel_qs(panel, g, 0), xg, _mm512_loadu_si512(xg + O::bias32(kW)), 0, 8, ai);
    for (int r = 0; r < kRows; ++r) {
      acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ai[r]), _mm512_mul_ps(_mm512_set1_ps(sc[r]), dv), acc[r]);
    }
    if constexpr (kMin) {
      const float* mn = panel_min(panel, g);
      const __m512 ds = _mm512_loadu_ps(xg + O::dsum32(kW));
      for (int r = 0; r < kRows; ++r) acc[r] = _mm512_fnmadd_ps(_mm512_set1_ps(mn[r]), ds, acc[r]);
    }
  }
}

// tile_kernel for q8_K activations, whose scale d is one per 8 groups
// (super-block): the groups' scaled dots and mins are summed in `part`
// before one multiply by d, so a group costs one FMA per (half-)group and
// row for the dot and one for the min instead of a mul and two FMAs. The
// min term uses the tile's bias (-128 * code sum) with the panel's mins
// stored divided by 128: both exact. ts.n is a multiple of 8.
template <bool kHalves, bool kMin>
void tile_kernel_sb(const TileSlice& ts, uint8_t* panel, __m512* acc) {
  const uint8_t* xg = ts.x;
  for (int g0 = 0; g0 < ts.n; g0 += 8) {
    const __m512 dv = _mm512_loadu_ps(xg + O::d(kW));
    __m512 part[kRows];
    for (int r = 0; r < kRows; ++r) part[r] = _mm512_setzero_ps();
    for (int g = g0; g < g0 + 8; ++g, xg += ts.xstride) {
      const uint8_t* qs = panel_qs(panel, g, 0);
      const float* sc = panel_scale(panel, g);
      const float* mn = panel_min(panel, g);
      constexpr int kParts = kHalves ? 2 : 1;
      for (int h = 0; h < kParts; ++h) {
        const __m512i bias = _mm512_loadu_si512(xg + (kHalves ? O::bias16(kW) + 64 * h : O::bias32(kW)));
        __m512i ai[kRows];
        group_dots(qs, xg, bias, 4 * h, 8 / kParts, ai);
        for (int r = 0; r < kRows; ++r) part[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(ai[r]), _mm512_set1_ps(sc[h * kRows + r]), part[r]);
        if constexpr (kMin) {
          const __m512 bf = _mm512_cvtepi32_ps(bias);
          for (int r = 0; r < kRows; ++r) part[r] = _mm512_fmadd_ps(_mm512_set1_ps(mn[h * kRows + r]), bf, part[r]);
        }
      }
    }
    for (int r = 0; r < kRows; ++r) acc[r] = _mm512_fmadd_ps(part[r], dv, acc[r]);
  }
}

template <class Unpack>
struct Gemm {
  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) {
    const QuantizedActs& x = *t.x;
    const int64_t n_groups = t.n_in / 32;
    const size_t xstride = acts_layout::tile_group_bytes(x.type, kW);
    const int64_t n_tiles = acts_layout::n_tiles(x.n_tok, kW);
    const auto* tiles = static_cast<const uint8_t*>(x.tiles);
    alignas(64) __m512 accbuf[kChunkRows / kRows][kMaxTiles][kRows];
    alignas(64) uint8_t panel[256 * kPanelGroup];
    for (int64_t tb0 = 0; tb0 < n_tiles; tb0 += kMaxTiles) {
      const int nt = static_cast<int>(std::min<int64_t>(kMaxTiles, n_tiles - tb0));
      int64_t kc = static_cast<int64_t>(kL2Budget / (xstride * nt)) / 8 * 8;
      kc = std::clamp<int64_t>(kc, 8, 256);
      for (int64_t rc = row0; rc < row1; rc += kChunkRows) {
        const int64_t rc1 = std::min(row1, rc + kChunkRows);
        for (int64_t g0 = 0; g0 < n_groups; g0 += kc) {
          const int n = static_cast<int>(std::min(kc, n_groups - g0));
          for (int64_t rg = rc; rg < rc1; rg += kRows) {
            for (int r = 0; r < kRows; ++r) {
              const PanelSlot slot{panel, r, g0, n};
              if constexpr (Unpack::kX8) Unpack::unpack(t.w + static_cast<uint64_t>(rg) * t.w_row_bytes, slot);
              else if (rg + r < rc1) Unpack::unpack(t.w + static_cast<uint64_t>(rg + r) * t.w_row_bytes, slot);
              else unpack_empty(slot);
            }
            const PanelPos next = next_panel({rg, g0}, ChunkBounds{rc, rc1, row1, n_groups, kc});
            __m512 (*acc_rg)[kRows] = accbuf[(rg - rc) / kRows];
            if (g0 == 0) std::fill_n(&acc_rg[0][0], nt * kRows, _mm512_setzero_ps());
            for (int ti = 0; ti < nt; ++ti) {
              // Spread the next panel's prefetches over the tiles.
              for (int r = ti * kRows / nt; r < (ti + 1) * kRows / nt; ++r) {
                if (next.rg + r < row1) prefetch_row<Unpack::kX8>(t, next.rg + r, next.g0, kc);
              }
              const uint8_t* xg = tiles + ((tb0 + ti) * n_groups + g0) * xstride;
              if constexpr (Unpack::kSuperblock) {
                tile_kernel_sb<Unpack::kHalves, Unpack::kMin>(TileSlice{xg, xstride, n}, panel, acc_rg[ti]);
              } else {
                tile_kernel<Unpack::kMin>(TileSlice{xg, xstride, n}, panel, acc_rg[ti]);
              }
            }
          }
        }
        store(t, AccBlock{rc, rc1, tb0, nt}, accbuf);
      }
    }
  }

  // Rows [rc, rc1) x tiles [tb0, tb0 + nt) of accumulators.
  struct AccBlock {
    int64_t rc, rc1, tb0;
    int nt;
  };

  // accbuf[(r - rc) / kRows][tile][r % kRows] lane i -> y[token][r]: full
  // 8-row panels through a register transpose, a partial last panel by lanes.
  static void store(const MatmulTask& t, const AccBlock& ab, const __m512 (*accbuf)[kMaxTiles][kRows]) {
    const int64_t n_tok = t.x->n_tok, rc = ab.rc, rc1 = ab.rc1, tb0 = ab.tb0;
    for (int ti = 0; ti < ab.nt; ++ti) {
      const int64_t tok0 = (tb0 + ti) * kW;
      const int n_w = static_cast<int>(std::min<int64_t>(kW, n_tok - tok0));
      for (int64_t rg = rc; rg < rc1; rg += kRows) {
        const __m512* a = accbuf[(rg - rc) / kRows][ti];
        float* y = t.y + tok0 * t.y_stride + rg;
        if (rg + kRows <= rc1) {
          store_panel(a, y, t.y_stride, n_w);
          continue;
        }
        for (int i = 0; i < n_w; ++i) {
          for (int64_t r = rg; r < rc1; ++r) y[i * t.y_stride + r - rg] = reinterpret_cast<const float*>(&a[r - rg])[i];
        }
      }
    }
  }
};

// Token counts from which the GEMM beats the direct kernels (measured on
// Zen 4, bench/kernels): for the 32-block formats from 6 tokens; for the
// K-quants the direct kernels are faster up to their 8-token chunk, and a
// second chunk would read the weights twice.
constexpr int kGemmMinLegacy = 6, kGemmMinK = 9;

template <class Unpack>
void set_gemm(KernelTable& kt, GgmlType type) {
  TypeKernels& k = kt.types[static_cast<uint32_t>(type)];
  (Unpack::kX8 ? k.gemm_x8 : k.gemm) = Gemm<Unpack>::mul_mat;
  k.gemm_min_tokens = type_info(type).block_size == 256 ? kGemmMinK : kGemmMinLegacy;
}

}  // namespace

void register_gemm_avx512(KernelTable& kt) {
  using namespace x86;
  kt.tile_tokens = kW;
  set_gemm<UnpackLegacy<DeqQ4_0>>(kt, GgmlType::Q4_0);
  set_gemm<UnpackLegacy<DeqQ4_1>>(kt, GgmlType::Q4_1);
  set_gemm<UnpackLegacy<DeqQ5_0>>(kt, GgmlType::Q5_0);
  set_gemm<UnpackLegacy<DeqQ5_1>>(kt, GgmlType::Q5_1);
  set_gemm<UnpackLegacy<DeqQ8_0>>(kt, GgmlType::Q8_0);
  set_gemm<UnpackX8<DeqQ4_0>>(kt, GgmlType::Q4_0);
  set_gemm<UnpackX8<DeqQ8_0>>(kt, GgmlType::Q8_0);
  set_gemm<UnpackLegacy<DeqIQ4_NL>>(kt, GgmlType::IQ4_NL);
  set_gemm<UnpackLegacy<DeqMXFP4>>(kt, GgmlType::MXFP4);
  set_gemm<UnpackK<DeqQ2_K, BlockQ2_K>>(kt, GgmlType::Q2_K);
  set_gemm<UnpackK<DeqQ3_K, BlockQ3_K>>(kt, GgmlType::Q3_K);
  set_gemm<UnpackK<DeqQ4_K, BlockQ4_K>>(kt, GgmlType::Q4_K);
  set_gemm<UnpackK<DeqQ5_K, BlockQ5_K>>(kt, GgmlType::Q5_K);
  set_gemm<UnpackK<DeqQ6_K, BlockQ6_K>>(kt, GgmlType::Q6_K);
  set_gemm<UnpackK<DeqIQ4_XS, BlockIQ4_XS>>(kt, GgmlType::IQ4_XS);
}

}  // namespace hako
