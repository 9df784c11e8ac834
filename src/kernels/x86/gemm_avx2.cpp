// AVX2 GEMM for batches (prefill) on CPUs without AVX-512 VNNI: every
// quantized weight type times token-interleaved q8 activation tiles
// (kernels/acts_layout.h, 16 tokens per tile = two ymm of 8 tokens). The
// shape is gemm_avx512.cpp's (unpack a panel of kRows weight rows x a
// K-chunk once with the shared Dequantizers, then multiply a broadcast
// 4-byte piece of a row with the tile's tokens; same loop order and
// prefetch); what differs is the int8 product, as there is no vpdpbusd:
//  * vpmaddubsw (u8 x s8 -> s16 pair sums, saturating) then vpmaddwd with
//    ones. The weights are the unsigned operand: each format's codes with
//    their offset removed (q4_0 nibble 0..15 instead of -8..7; the -8 * sum
//    of the activation codes comes back exactly from the tile's bias, an
//    int32 shift), so a pair sum is at most 2 * 63 * 128 and never
//    saturates;
//  * small codes let the s16 pair sums of several 4-byte pieces add up in
//    int16 before one vpmaddwd: kSpan pieces while kSpan * 2 * max_code *
//    128 <= 32767 (8 pieces = a whole group for the 4-bit formats, 4 for
//    the 5-bit ones, 2 for q6_K). This halves the multiply-port work, which
//    bounds the kernel;
//  * q8_0, iq4_nl and iq4_xs codes span the whole int8 range: the unpack
//    splits w + 128 into two nibbles (16 * hi + lo), each multiplied as
//    above (8 pieces add in int16; the -128 * sum comes from the bias):
//    two vpmaddubsw per piece but nothing else: 1.2x faster on Zen 4 than
//    the sign trick (|w| times sign(w) * x, one vpmaddwd per piece, as the
//    direct kernels do), which on Intel also puts vpsignb on the two
//    multiply ports.
// Every (half-)group's dot is an exact int32, scaled once in float as in
// the AVX-512 kernel (tile_kernel / tile_kernel_sb); q4_K / q5_K apply
// their integer sub-scales in the vpmaddwd and convert once per super-block
// (tile_kernel_sb_int). A micro-kernel pass
// covers kPass rows (4, or 2 where int32 sums or kSplit's second int16
// sums live beside the int16 ones) x 16 tokens so that it fits the 16 ymm
// registers; float
// accumulators live in memory (L1), touched once per group. x8 weights
// (q4_0, q8_0 interleaved at load, quant/interleave.h) are unpacked into the
// same panels (UnpackX8) and registered as gemm_x8.
// Not here: the AVX-512 kernel (gemm_avx512.cpp), the direct kernels for
// small batches (legacy_kernels.h, kquant_kernels.h).
#include <algorithm>
#include <type_traits>

#include "kernels/acts_layout.h"
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

constexpr int kW = 16;            // tokens per tile (two ymm of 8 int32 lanes)
constexpr int kRows = x86::kPanelRows;  // rows per unpacked panel
constexpr int kChunkRows = 64;    // rows whose accumulators stay on the stack
constexpr int kMaxTiles = 32;     // tiles per token block (512 tokens)
constexpr size_t kL2Budget = 256 * 1024;  // bytes of tiles per K-chunk

// How a format's codes enter vpmaddubsw.
enum class Product {
  kUnsigned,  // codes in [0, max_code]; value = scale * (code - kOff) (+ min)
  kSplit      // signed codes in [-128, 127] as w + 128 = 16 * hi + lo, two
              // unsigned nibble products (see dots_split)
};

// Pieces of 4 bytes whose s16 pair sums may add in int16: 2 * max_code * 128 each.
constexpr int span_for(int max_code) {
  int s = 8;
  while (s > 1 && s * 2 * max_code * 128 > 32767) s /= 2;
  return s;
}

// Unpacked panel of kRows rows x n groups, group-major, as in the AVX-512
// kernel: qs [kRows][32] bytes, scale [2][kRows] float, min [2][kRows] float.
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

// kSplit panels keep the high nibbles this far after the low ones (a second
// panel of the same shape).
constexpr size_t kPanelHi = 256 * kPanelGroup;

template <Product kP>
inline void store_codes(uint8_t* dst, __m256i codes, int off) {
  if constexpr (kP == Product::kSplit) {
    const __m256i u = _mm256_xor_si256(codes, _mm256_set1_epi8(static_cast<char>(0x80)));
    const __m256i lo = _mm256_and_si256(u, _mm256_set1_epi8(0x0F));
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(u, 4), _mm256_set1_epi8(0x0F));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), lo);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + kPanelHi), hi);
  } else {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_add_epi8(codes, _mm256_set1_epi8(static_cast<char>(off))));
  }
}

// Unpackers for the 32-block formats (q8_0 / q8_1 activations). kOff is
// added to the Dequantizer's codes (0 for sign-trick and min formats).
template <class Deq, Product kP, int kOffset, int kMaxCode>
struct UnpackLegacy {
  static constexpr bool kHalves = false, kMin = Deq::kMin, kSuperblock = false, kX8 = false;
  static constexpr Product kProduct = kP;
  static constexpr int kOff = kOffset, kSpan = span_for(kMaxCode);
  static void unpack(const uint8_t* row, const PanelSlot& slot) {
    uint8_t* panel = slot.panel;
    const int r = slot.r;
    const auto* b = reinterpret_cast<const typename Deq::Block*>(row) + slot.g0;
    for (int g = 0; g < slot.n; ++g) {
      store_codes<kP>(panel_qs(panel, g, r), Deq::codes(b[g]), kOff);
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

// Unpackers for the K-quants (q8_K activations: one scale per 256); mins
// are stored divided by 128 for tile_kernel_sb (they meet the tile's bias).
template <class Deq, class Block, Product kP, int kOffset, int kMaxCode>
struct UnpackK {
  static constexpr bool kHalves = Deq::kHalves, kMin = Deq::kMin, kSuperblock = true, kX8 = false;
  static constexpr Product kProduct = kP;
  static constexpr int kOff = kOffset, kSpan = span_for(kMaxCode);
  // q4_K / q5_K: the 6-bit sub-scales multiply in vpmaddwd (tile_kernel_sb_int).
  static constexpr bool kIntScale = std::is_base_of_v<x86::DeqQ4_K, Deq>;
  static void unpack(const uint8_t* row, const PanelSlot& slot) {
    uint8_t* panel = slot.panel;
    const int r = slot.r;
    const auto* b = reinterpret_cast<const Block*>(row) + slot.g0 / 8;
    for (int sb = 0; sb < slot.n / 8; ++sb) {
      const Deq deq(b[sb]);
      for (int c = 0; c < 8; ++c) {
        const int g = 8 * sb + c;
        store_codes<kP>(panel_qs(panel, g, r), deq.codes(c), kOff);
        float* sc = panel_scale(panel, g);
        float* mn = panel_min(panel, g);
        if constexpr (kIntScale) {
          // sc[r]: the sub-scale as two int16; sc[kRows + r]: the super-block's d.
          const uint32_t pair = deq.sm[c] | (uint32_t{deq.sm[c]} << 16);
          std::memcpy(&sc[r], &pair, 4);
          sc[kRows + r] = deq.d;
          mn[r] = deq.group_min(c, 0) * (1.0f / 128);
          continue;
        }
        for (int h = 0; h < 2; ++h) {
          sc[h * kRows + r] = deq.group_scale(c, h);
          mn[h * kRows + r] = deq.group_min(c, h) * (1.0f / 128);
        }
      }
    }
  }
};

// x8 weights (quant/interleave.h; q4_0, q8_0): row r's blocks are rebuilt
// from the group's interleaved columns, then unpacked like plain blocks
// (once per panel and K-chunk, for up to 512 tokens). `group` is the first
// row of the panel's 8-row group.
template <class Deq, Product kP, int kOffset, int kMaxCode>
struct UnpackX8 {
  using Block = typename Deq::Block;
  static constexpr bool kHalves = false, kMin = false, kSuperblock = false, kX8 = true;
  static constexpr Product kProduct = kP;
  static constexpr int kOff = kOffset, kSpan = span_for(kMaxCode);
  static constexpr int kChunks = sizeof(Block::qs) / 4;
  static_assert(!Deq::kMin && kRows == kX8Rows);
  static void unpack(const uint8_t* group, const PanelSlot& slot) {
    const int r = slot.r;
    for (int g = 0; g < slot.n; ++g) {
      const uint8_t* col = group + static_cast<uint64_t>(slot.g0 + g) * kRows * sizeof(Block);
      Block b;
      x8_block_from_column(col, r, kChunks, x8_code_flip(Block::kType), reinterpret_cast<uint8_t*>(&b));
      store_codes<kP>(panel_qs(slot.panel, g, r), Deq::codes(b), kOff);
      float* sc = panel_scale(slot.panel, g);
      sc[r] = sc[kRows + r] = Deq::scale(b);
    }
  }
};

// Rows past the matrix: codes 0, scale 0, min 0, so they add nothing.
template <Product kP>
void unpack_empty(const PanelSlot& slot) {
  uint8_t* panel = slot.panel;
  const int r = slot.r;
  for (int g = 0; g < slot.n; ++g) {
    std::memset(panel_qs(panel, g, r), 0, 32);
    if constexpr (kP == Product::kSplit) std::memset(panel_qs(panel, g, r) + kPanelHi, 0, 32);
    float* sc = panel_scale(panel, g);
    float* mn = panel_min(panel, g);
    sc[r] = sc[kRows + r] = mn[r] = mn[kRows + r] = 0.0f;
  }
}


inline __m256i bcast4(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

// Keeps v in a register as computed: GCC otherwise reassociates the running
// int sums into trees over all products (every product live at once: spills).
inline __m256i pin(__m256i v) {
  asm("" : "+x"(v));
  return v;
}

inline __m256i load_i(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline __m256 load_f(const uint8_t* p) { return _mm256_loadu_ps(reinterpret_cast<const float*>(p)); }

// Int dots of kPass rows (qs: row 0's 32 codes, rows 32 bytes apart) with
// 16 tokens (xg: the tile group), over the 4-byte pieces [kK0, kK0 + kNk):
// ai[r][v] lane i = row r, token 8v + i. Unsigned codes: the s16 pair sums
// of kSpan pieces add in int16 before vpmaddwd (see the file comment).
// With iscale, each row's int16 pair sums are multiplied by its integer
// sub-scale (int16 pairs, 4 bytes a row at iscale + 4r) instead of ones.
template <int kPass, int kK0, int kNk, int kSpan>
__attribute__((always_inline)) inline void dots_unsigned(const uint8_t* qs, const uint8_t* xg, __m256i (&ai)[kPass][2],
                                                         const uint8_t* iscale = nullptr) {
  constexpr int kStep = kSpan < kNk ? kSpan : kNk;
  const __m256i ones = _mm256_set1_epi16(1);
#pragma GCC unroll 8
  for (int kb = kK0; kb < kK0 + kNk; kb += kStep) {
    __m256i s16[kPass][2];
#pragma GCC unroll 8
    for (int k = kb; k < kb + kStep; ++k) {
      const __m256i x0 = load_i(xg + 64 * k), x1 = load_i(xg + 64 * k + 32);
#pragma GCC unroll 8
      for (int r = 0; r < kPass; ++r) {
        const __m256i w = bcast4(qs + 32 * r + 4 * k);
        const __m256i p0 = _mm256_maddubs_epi16(w, x0), p1 = _mm256_maddubs_epi16(w, x1);
        s16[r][0] = k == kb ? p0 : pin(_mm256_add_epi16(s16[r][0], p0));
        s16[r][1] = k == kb ? p1 : pin(_mm256_add_epi16(s16[r][1], p1));
      }
    }
#pragma GCC unroll 8
    for (int r = 0; r < kPass; ++r) {
      const __m256i mul = iscale ? bcast4(iscale + 4 * r) : ones;
      for (int v = 0; v < 2; ++v) {
        const __m256i m = _mm256_madd_epi16(s16[r][v], mul);
        ai[r][v] = kb == kK0 ? m : pin(_mm256_add_epi32(ai[r][v], m));
      }
    }
  }
}

// As dots_unsigned for kSplit panels: w + 128 = 16 * hi + lo with nibbles
// hi, lo in [0, 15], so both products' pair sums are at most 2 * 15 * 128
// and 8 pieces add in int16; the -128 * (sum of x) comes from the tile's
// bias (kOff = 128). Two products per piece but no sign work, and the split
// is done once per unpack for all tiles.
template <int kPass, int kK0, int kNk>
__attribute__((always_inline)) inline void dots_split(const uint8_t* qs, const uint8_t* xg, __m256i (&ai)[kPass][2]) {
  __m256i sl[kPass][2], sh[kPass][2];
#pragma GCC unroll 8
  for (int k = kK0; k < kK0 + kNk; ++k) {
    const __m256i x0 = load_i(xg + 64 * k), x1 = load_i(xg + 64 * k + 32);
#pragma GCC unroll 8
    for (int r = 0; r < kPass; ++r) {
      const __m256i wl = bcast4(qs + 32 * r + 4 * k), wh = bcast4(qs + kPanelHi + 32 * r + 4 * k);
      const __m256i l0 = _mm256_maddubs_epi16(wl, x0), l1 = _mm256_maddubs_epi16(wl, x1);
      const __m256i h0 = _mm256_maddubs_epi16(wh, x0), h1 = _mm256_maddubs_epi16(wh, x1);
      sl[r][0] = k == kK0 ? l0 : pin(_mm256_add_epi16(sl[r][0], l0));
      sl[r][1] = k == kK0 ? l1 : pin(_mm256_add_epi16(sl[r][1], l1));
      sh[r][0] = k == kK0 ? h0 : pin(_mm256_add_epi16(sh[r][0], h0));
      sh[r][1] = k == kK0 ? h1 : pin(_mm256_add_epi16(sh[r][1], h1));
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < kPass; ++r) {
    for (int v = 0; v < 2; ++v) {
      ai[r][v] = _mm256_add_epi32(_mm256_madd_epi16(sh[r][v], _mm256_set1_epi16(16)),
                                  _mm256_madd_epi16(sl[r][v], _mm256_set1_epi16(1)));
    }
  }
}

template <class U, int kPass, int kK0, int kNk>
__attribute__((always_inline)) inline void dots(const uint8_t* qs, const uint8_t* xg, __m256i (&ai)[kPass][2]) {
  if constexpr (U::kProduct == Product::kSplit) dots_split<kPass, kK0, kNk>(qs, xg, ai);
  else dots_unsigned<kPass, kK0, kNk, U::kSpan>(qs, xg, ai);
}

// -kOff * (sum of the activation codes) from the tile's bias (-128 * sum), exact.
template <int kOff>
inline __m256i offset_corr(__m256i bias) {
  static_assert(kOff == 0 || kOff == 4 || kOff == 8 || kOff == 12 || kOff == 16 || kOff == 32 || kOff == 128);
  if constexpr (kOff == 128) return bias;
  else if constexpr (kOff == 12) return _mm256_add_epi32(_mm256_srai_epi32(bias, 4), _mm256_srai_epi32(bias, 5));
  else return _mm256_srai_epi32(bias, __builtin_ctz(128 / kOff));
}

// Rows per micro-kernel pass: 4, or 2 where the int32 sums of several spans
// live beside the int16 ones (registers: 4 * kPass + 2 x + temporaries).
template <class U>
constexpr int pass_rows(int nk) {
  return U::kProduct == Product::kSplit || (U::kProduct == Product::kUnsigned && U::kSpan < nk) ? 2 : 4;
}

// acc[r][v] (row r, tokens 8v..8v+7) += the panel's groups times one tile's
// slice of ts.n groups, xstride bytes apart.
struct TileSlice {
  const uint8_t* x;
  size_t xstride;
  int n;
};

// For the 32-block formats (q8_0 / q8_1 activations: a scale per group).
template <class U>
void tile_kernel(const TileSlice& ts, uint8_t* panel, __m256 (*acc)[2]) {
  constexpr int kPass = pass_rows<U>(8);
  const uint8_t* xg = ts.x;
  for (int g = 0; g < ts.n; ++g, xg += ts.xstride) {
    const float* sc = panel_scale(panel, g);
    const float* mn = panel_min(panel, g);
    for (int p = 0; p < kRows; p += kPass) {
      // Opaque per pass, so that GCC does not hoist (and spill) the group's 16 x loads.
      const uint8_t* xp = xg;
      asm volatile("" : "+r"(xp));
      __m256i ai[kPass][2];
      dots<U, kPass, 0, 8>(panel_qs(panel, g, p), xp, ai);
      for (int v = 0; v < 2; ++v) {
        const __m256 dv = load_f(xg + O::d(kW) + 32 * v);
        __m256i corr = _mm256_setzero_si256();
        if constexpr (U::kOff != 0) corr = offset_corr<U::kOff>(load_i(xg + O::bias32(kW) + 32 * v));
        for (int r = 0; r < kPass; ++r) {
          const __m256 f = _mm256_cvtepi32_ps(U::kOff != 0 ? _mm256_add_epi32(ai[r][v], corr) : ai[r][v]);
          acc[p + r][v] = _mm256_fmadd_ps(f, _mm256_mul_ps(_mm256_set1_ps(sc[p + r]), dv), acc[p + r][v]);
        }
        if constexpr (U::kMin) {
          const __m256 ds = load_f(xg + O::dsum32(kW) + 32 * v);
          for (int r = 0; r < kPass; ++r) acc[p + r][v] = _mm256_fnmadd_ps(_mm256_set1_ps(mn[p + r]), ds, acc[p + r][v]);
        }
      }
    }
  }
}

// part[r][v] += one (half-)group h of a K-quant group: the scaled int dot
// (with the offset correction) and the min term (the tile's bias times the
// min / 128, exact).
template <class U, int kPass, int kH>
__attribute__((always_inline)) inline void sb_half(uint8_t* panel, int g, int p, const uint8_t* xg,
                                                   __m256 (&part)[kPass][2]) {
  constexpr int kParts = U::kHalves ? 2 : 1;
  constexpr int kNk = 8 / kParts;
  const float* sc = panel_scale(panel, g) + kH * kRows + p;
  const float* mn = panel_min(panel, g) + kH * kRows + p;
  __m256i ai[kPass][2];
  dots<U, kPass, 4 * kH, kNk>(panel_qs(panel, g, p), xg, ai);
  const size_t bias_off = U::kHalves ? O::bias16(kW) + 64 * kH : O::bias32(kW);
  for (int v = 0; v < 2; ++v) {
    const __m256i bias = load_i(xg + bias_off + 32 * v);
    __m256i corr = _mm256_setzero_si256();
    if constexpr (U::kOff != 0) corr = offset_corr<U::kOff>(bias);
    for (int r = 0; r < kPass; ++r) {
      const __m256 f = _mm256_cvtepi32_ps(U::kOff != 0 ? _mm256_add_epi32(ai[r][v], corr) : ai[r][v]);
      part[r][v] = _mm256_fmadd_ps(f, _mm256_set1_ps(sc[r]), part[r][v]);
    }
    if constexpr (U::kMin) {
      const __m256 bf = _mm256_cvtepi32_ps(bias);
      for (int r = 0; r < kPass; ++r) part[r][v] = _mm256_fmadd_ps(_mm256_set1_ps(mn[r]), bf, part[r][v]);
    }
  }
}

// For the K-quants (q8_K activations, one scale d per 8 groups): each
// super-block's scaled dots and mins are summed in `part` before one
// multiply by d. ts.n is a multiple of 8.
template <class U>
void tile_kernel_sb(const TileSlice& ts, uint8_t* panel, __m256 (*acc)[2]) {
  constexpr int kPass = pass_rows<U>(U::kHalves ? 4 : 8);
  for (int g0 = 0; g0 < ts.n; g0 += 8) {
    const uint8_t* xs = ts.x + static_cast<size_t>(g0) * ts.xstride;
    for (int p = 0; p < kRows; p += kPass) {
      __m256 part[kPass][2];
      for (int r = 0; r < kPass; ++r) part[r][0] = part[r][1] = _mm256_setzero_ps();
      const uint8_t* xg = xs;
      for (int g = g0; g < g0 + 8; ++g, xg += ts.xstride) {
        sb_half<U, kPass, 0>(panel, g, p, xg, part);
        if constexpr (U::kHalves) sb_half<U, kPass, 1>(panel, g, p, xg, part);
      }
      for (int v = 0; v < 2; ++v) {
        const __m256 dv = load_f(xs + O::d(kW) + 32 * v);
        for (int r = 0; r < kPass; ++r) acc[p + r][v] = _mm256_fmadd_ps(part[r][v], dv, acc[p + r][v]);
      }
    }
  }
}

// tile_kernel_sb for kIntScale formats: each super-block's group dots are
// summed in int32 with the integer sub-scales applied by vpmaddwd (exact:
// at most 8 * 2 * 31744 * 63 < 2^31), then converted and scaled once, so a
// group costs no cvt or FMA for the dot; the mins as in tile_kernel_sb.
template <class U>
void tile_kernel_sb_int(const TileSlice& ts, uint8_t* panel, __m256 (*acc)[2]) {
  constexpr int kPass = pass_rows<U>(8);
  for (int g0 = 0; g0 < ts.n; g0 += 8) {
    const uint8_t* xs = ts.x + static_cast<size_t>(g0) * ts.xstride;
    for (int p = 0; p < kRows; p += kPass) {
      __m256i isum[kPass][2];
      __m256 pmin[kPass][2];
      const uint8_t* xg = xs;
      for (int g = g0; g < g0 + 8; ++g, xg += ts.xstride) {
        const auto* sc = reinterpret_cast<const uint8_t*>(panel_scale(panel, g) + p);
        const float* mn = panel_min(panel, g) + p;
        __m256i ai[kPass][2];
        dots_unsigned<kPass, 0, 8, U::kSpan>(panel_qs(panel, g, p), xg, ai, sc);
        for (int v = 0; v < 2; ++v) {
          const __m256 bf = _mm256_cvtepi32_ps(load_i(xg + O::bias32(kW) + 32 * v));
          for (int r = 0; r < kPass; ++r) {
            isum[r][v] = g == g0 ? ai[r][v] : _mm256_add_epi32(isum[r][v], ai[r][v]);
            const __m256 m = _mm256_mul_ps(_mm256_set1_ps(mn[r]), bf);
            pmin[r][v] = g == g0 ? m : _mm256_add_ps(pmin[r][v], m);
          }
        }
      }
      const float* dw = panel_scale(panel, g0) + kRows + p;
      for (int v = 0; v < 2; ++v) {
        const __m256 dv = load_f(xs + O::d(kW) + 32 * v);
        for (int r = 0; r < kPass; ++r) {
          const __m256 dot = _mm256_mul_ps(_mm256_cvtepi32_ps(isum[r][v]), _mm256_set1_ps(dw[r]));
          acc[p + r][v] = _mm256_fmadd_ps(_mm256_add_ps(dot, pmin[r][v]), dv, acc[p + r][v]);
        }
      }
    }
  }
}

// 8 rows x 8 tokens (a[r] lane i = row r, token i) -> y[i * stride + r], n_w tokens.
inline void store_8x8(const __m256* a, float* y, int64_t stride, int n_w) {
  const __m256 t0 = _mm256_unpacklo_ps(a[0], a[1]), t1 = _mm256_unpackhi_ps(a[0], a[1]);
  const __m256 t2 = _mm256_unpacklo_ps(a[2], a[3]), t3 = _mm256_unpackhi_ps(a[2], a[3]);
  const __m256 t4 = _mm256_unpacklo_ps(a[4], a[5]), t5 = _mm256_unpackhi_ps(a[4], a[5]);
  const __m256 t6 = _mm256_unpacklo_ps(a[6], a[7]), t7 = _mm256_unpackhi_ps(a[6], a[7]);
  // u[j], 128-bit lane l: rows 0..3 (j < 4) or 4..7 of token 4l + j % 4.
  const __m256 u[8] = {_mm256_shuffle_ps(t0, t2, 0x44), _mm256_shuffle_ps(t0, t2, 0xee),
                       _mm256_shuffle_ps(t1, t3, 0x44), _mm256_shuffle_ps(t1, t3, 0xee),
                       _mm256_shuffle_ps(t4, t6, 0x44), _mm256_shuffle_ps(t4, t6, 0xee),
                       _mm256_shuffle_ps(t5, t7, 0x44), _mm256_shuffle_ps(t5, t7, 0xee)};
  for (int i = 0; i < n_w; ++i) {
    const int j = i % 4;
    const __m256 row = i < 4 ? _mm256_permute2f128_ps(u[j], u[4 + j], 0x20) : _mm256_permute2f128_ps(u[j], u[4 + j], 0x31);
    _mm256_storeu_ps(y + i * stride, row);
  }
}

template <class Unpack>
struct Gemm {
  // Rows [rc, rc1) x tiles [tb0, tb0 + nt) of accumulators.
  struct AccBlock {
    int64_t rc, rc1, tb0;
    int nt;
  };
  using AccBuf = __m256[kMaxTiles][kRows][2];

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) {
    const QuantizedActs& x = *t.x;
    const int64_t n_groups = t.n_in / 32;
    const size_t xstride = acts_layout::tile_group_bytes(x.type, kW);
    const int64_t n_tiles = acts_layout::n_tiles(x.n_tok, kW);
    const auto* tiles = static_cast<const uint8_t*>(x.tiles);
    alignas(64) AccBuf accbuf[kChunkRows / kRows];
    alignas(64) uint8_t panel[(Unpack::kProduct == Product::kSplit ? 2 : 1) * kPanelHi];
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
              else unpack_empty<Unpack::kProduct>(slot);
            }
            const PanelPos next = next_panel({rg, g0}, ChunkBounds{rc, rc1, row1, n_groups, kc});
            AccBuf& acc_rg = accbuf[(rg - rc) / kRows];
            if (g0 == 0) std::fill_n(&acc_rg[0][0][0], nt * kRows * 2, _mm256_setzero_ps());
            for (int ti = 0; ti < nt; ++ti) {
              for (int r = ti * kRows / nt; r < (ti + 1) * kRows / nt; ++r) {
                if (next.rg + r < row1) prefetch_row<Unpack::kX8>(t, next.rg + r, next.g0, kc);
              }
              const uint8_t* xg = tiles + ((tb0 + ti) * n_groups + g0) * xstride;
              if constexpr (Unpack::kSuperblock) {
                if constexpr (Unpack::kIntScale) tile_kernel_sb_int<Unpack>(TileSlice{xg, xstride, n}, panel, acc_rg[ti]);
                else tile_kernel_sb<Unpack>(TileSlice{xg, xstride, n}, panel, acc_rg[ti]);
              }
              else tile_kernel<Unpack>(TileSlice{xg, xstride, n}, panel, acc_rg[ti]);
            }
          }
        }
        store(t, AccBlock{rc, rc1, tb0, nt}, accbuf);
      }
    }
  }

  // accbuf[(r - rc) / kRows][tile][r % kRows][v] lane i -> y[token 8v + i][r]:
  // full 8-row panels through a register transpose, a partial last panel by lanes.
  static void store(const MatmulTask& t, const AccBlock& ab, const AccBuf* accbuf) {
    const int64_t n_tok = t.x->n_tok, rc = ab.rc, rc1 = ab.rc1, tb0 = ab.tb0;
    for (int ti = 0; ti < ab.nt; ++ti) {
      for (int v = 0; v < 2; ++v) {
        const int64_t tok0 = (tb0 + ti) * kW + 8 * v;
        const int n_w = static_cast<int>(std::clamp<int64_t>(n_tok - tok0, 0, 8));
        for (int64_t rg = rc; rg < rc1 && n_w > 0; rg += kRows) {
          const __m256(&a)[kRows][2] = accbuf[(rg - rc) / kRows][ti];
          float* y = t.y + tok0 * t.y_stride + rg;
          if (rg + kRows <= rc1) {
            const __m256 rows[kRows] = {a[0][v], a[1][v], a[2][v], a[3][v], a[4][v], a[5][v], a[6][v], a[7][v]};
            store_8x8(rows, y, t.y_stride, n_w);
            continue;
          }
          for (int i = 0; i < n_w; ++i) {
            for (int64_t r = rg; r < rc1; ++r) y[i * t.y_stride + r - rg] = reinterpret_cast<const float*>(&a[r - rg][v])[i];
          }
        }
      }
    }
  }
};

// Registers Gemm<Unpack> for `type`, used from `min_tokens` tokens: where it
// beats the direct AVX2 kernels (one 16-token tile costs the same for 1..16
// tokens; the direct kernels run 8 tokens per pass over the weights).
// Measured on Zen 4 at 1024x3072, 1 thread, HAKO_KERNELS=avx2.
template <class Unpack>
void set_gemm(KernelTable& kt, GgmlType type, int min_tokens) {
  TypeKernels& k = kt.types[static_cast<uint32_t>(type)];
  (Unpack::kX8 ? k.gemm_x8 : k.gemm) = Gemm<Unpack>::mul_mat;
  k.gemm_min_tokens = min_tokens;
}

}  // namespace

void register_gemm_avx2(KernelTable& kt) {
  using namespace x86;
  constexpr Product kU = Product::kUnsigned, kS = Product::kSplit;
  constexpr int kSO = 128;  // kSplit: w + 128 is what the nibbles hold
  kt.tile_tokens = kW;
  // Offsets undo the Dequantizers' (q4_0's -8, ...); max codes bound kSpan.
  set_gemm<UnpackLegacy<DeqQ4_0, kU, 8, 15>>(kt, GgmlType::Q4_0, 6);
  set_gemm<UnpackLegacy<DeqQ4_1, kU, 0, 15>>(kt, GgmlType::Q4_1, 8);
  set_gemm<UnpackLegacy<DeqQ5_0, kU, 16, 31>>(kt, GgmlType::Q5_0, 6);
  set_gemm<UnpackLegacy<DeqQ5_1, kU, 0, 31>>(kt, GgmlType::Q5_1, 8);
  set_gemm<UnpackLegacy<DeqQ8_0, kS, kSO, 0>>(kt, GgmlType::Q8_0, 12);
  set_gemm<UnpackX8<DeqQ4_0, kU, 8, 15>>(kt, GgmlType::Q4_0, 6);
  set_gemm<UnpackX8<DeqQ8_0, kS, kSO, 0>>(kt, GgmlType::Q8_0, 12);
  set_gemm<UnpackLegacy<DeqIQ4_NL, kS, kSO, 0>>(kt, GgmlType::IQ4_NL, 11);
  set_gemm<UnpackLegacy<DeqMXFP4, kU, 12, 24>>(kt, GgmlType::MXFP4, 8);
  set_gemm<UnpackK<DeqQ2_K, BlockQ2_K, kU, 0, 3>>(kt, GgmlType::Q2_K, 15);
  set_gemm<UnpackK<DeqQ3_K, BlockQ3_K, kU, 4, 7>>(kt, GgmlType::Q3_K, 10);
  set_gemm<UnpackK<DeqQ4_K, BlockQ4_K, kU, 0, 15>>(kt, GgmlType::Q4_K, 11);
  set_gemm<UnpackK<DeqQ5_K, BlockQ5_K, kU, 0, 31>>(kt, GgmlType::Q5_K, 12);
  set_gemm<UnpackK<DeqQ6_K, BlockQ6_K, kU, 32, 63>>(kt, GgmlType::Q6_K, 12);
  set_gemm<UnpackK<DeqIQ4_XS, BlockIQ4_XS, kS, kSO, 0>>(kt, GgmlType::IQ4_XS, 15);
}

}  // namespace hako
