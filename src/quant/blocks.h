// The in-memory (and in-file) layout of every quantized block format hako
// computes with, exactly as GGUF stores it (ggml-common.h is the source of the
// facts). Each struct is a plain aggregate whose size is checked against both
// the format's definition and the type table in tensor/ggml_type.h. This file
// holds layouts and the small tables the formats share (iq4_nl / mxfp4 value
// grids, the K-quant 6-bit scale packing); it does not hold any conversion or
// arithmetic: that lives in src/quant/<family>.cpp.
#pragma once

#include <cstdint>

#include "base/fp16.h"
#include "tensor/ggml_type.h"

namespace hako {

inline constexpr int kQK = 256;        // elements per K-quant super-block (QK_K)
inline constexpr int kKScaleSize = 12; // bytes of packed 6-bit scales+mins in q4_K/q5_K

// ---- 32-element formats -----------------------------------------------------

// x[i] = d * (q[i] - 8); q in 0..15, element j in low nibble of qs[j], element
// j+16 in the high nibble of qs[j].
struct BlockQ4_0 {
  static constexpr GgmlType kType = GgmlType::Q4_0;
  static constexpr int kElems = 32;
  f16_t d;
  uint8_t qs[kElems / 2];
};

// x[i] = d * q[i] + m; q in 0..15, same nibble order as q4_0.
struct BlockQ4_1 {
  static constexpr GgmlType kType = GgmlType::Q4_1;
  static constexpr int kElems = 32;
  f16_t d;
  f16_t m;
  uint8_t qs[kElems / 2];
};

// x[i] = d * (q[i] - 16); low 4 bits as q4_0, bit 4 of element j is bit j of
// the little-endian uint32 in qh.
struct BlockQ5_0 {
  static constexpr GgmlType kType = GgmlType::Q5_0;
  static constexpr int kElems = 32;
  f16_t d;
  uint8_t qh[4];
  uint8_t qs[kElems / 2];
};

// x[i] = d * q[i] + m; q in 0..31, bit layout as q5_0.
struct BlockQ5_1 {
  static constexpr GgmlType kType = GgmlType::Q5_1;
  static constexpr int kElems = 32;
  f16_t d;
  f16_t m;
  uint8_t qh[4];
  uint8_t qs[kElems / 2];
};

// x[i] = d * qs[i].
struct BlockQ8_0 {
  static constexpr GgmlType kType = GgmlType::Q8_0;
  static constexpr int kElems = 32;
  f16_t d;
  int8_t qs[kElems];
};

// Activation format paired with q4_1 / q5_1: x[i] = d * qs[i]; s = d * sum(qs).
struct BlockQ8_1 {
  static constexpr GgmlType kType = GgmlType::Q8_1;
  static constexpr int kElems = 32;
  f16_t d;
  f16_t s;
  int8_t qs[kElems];
};

// x[i] = d * kIq4nlValues[q[i]]; nibble order as q4_0.
struct BlockIQ4_NL {
  static constexpr GgmlType kType = GgmlType::IQ4_NL;
  static constexpr int kElems = 32;
  f16_t d;
  uint8_t qs[kElems / 2];
};

// x[i] = 2^(e-128) * kMxfp4Values[q[i]] / 2 (the table holds doubled E2M1
// values); e is an E8M0 exponent. Nibble order as q4_0.
struct BlockMXFP4 {
  static constexpr GgmlType kType = GgmlType::MXFP4;
  static constexpr int kElems = 32;
  uint8_t e;
  uint8_t qs[kElems / 2];
};

// ---- 256-element K-quant super-blocks ----------------------------------------

// 16 sub-blocks of 16: x = d*(scales[j]&15)*q - dmin*(scales[j]>>4), q in 0..3.
struct BlockQ2_K {
  static constexpr GgmlType kType = GgmlType::Q2_K;
  static constexpr int kElems = kQK;
  uint8_t scales[kQK / 16];
  uint8_t qs[kQK / 4];
  f16_t d;
  f16_t dmin;
};

// 16 sub-blocks of 16: x = d*(s6[j]-32)*(q - 4*(hmask bit clear)), q 2 bits;
// the 6-bit scales are packed in 12 bytes (low 4 bits, then high 2 bits).
struct BlockQ3_K {
  static constexpr GgmlType kType = GgmlType::Q3_K;
  static constexpr int kElems = kQK;
  uint8_t hmask[kQK / 8];
  uint8_t qs[kQK / 4];
  uint8_t scales[12];
  f16_t d;
};

// 8 sub-blocks of 32: x = d*sc[j]*q - dmin*m[j], 6-bit sc/m packed in 12 bytes.
struct BlockQ4_K {
  static constexpr GgmlType kType = GgmlType::Q4_K;
  static constexpr int kElems = kQK;
  f16_t d;
  f16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qs[kQK / 2];
};

// As q4_K with a fifth bit per element in qh.
struct BlockQ5_K {
  static constexpr GgmlType kType = GgmlType::Q5_K;
  static constexpr int kElems = kQK;
  f16_t d;
  f16_t dmin;
  uint8_t scales[kKScaleSize];
  uint8_t qh[kQK / 8];
  uint8_t qs[kQK / 2];
};

// 16 sub-blocks of 16: x = d*scales[j]*(q-32), q 6 bits (4 in ql, 2 in qh).
struct BlockQ6_K {
  static constexpr GgmlType kType = GgmlType::Q6_K;
  static constexpr int kElems = kQK;
  uint8_t ql[kQK / 2];
  uint8_t qh[kQK / 4];
  int8_t scales[kQK / 16];
  f16_t d;
};

// Activation format paired with the K-quants: x = d*qs; bsums[j] = sum of
// qs[16j..16j+15]. d is a full float.
struct BlockQ8_K {
  static constexpr GgmlType kType = GgmlType::Q8_K;
  static constexpr int kElems = kQK;
  float d;
  int8_t qs[kQK];
  int16_t bsums[kQK / 16];
};

// 8 sub-blocks of 32: x = d*(ls-32)*kIq4nlValues[q], ls 6 bits: low 4 in
// scales_l (nibble per sub-block), high 2 in scales_h (2 bits per sub-block).
struct BlockIQ4_XS {
  static constexpr GgmlType kType = GgmlType::IQ4_XS;
  static constexpr int kElems = kQK;
  f16_t d;
  uint16_t scales_h;
  uint8_t scales_l[kQK / 64];
  uint8_t qs[kQK / 2];
};

// Size checks: against the format definition, and against the type table.
template <typename B>
constexpr bool block_matches_table() {
  return type_info(B::kType).type_size == sizeof(B) && type_info(B::kType).block_size == B::kElems;
}
static_assert(sizeof(BlockQ4_0) == 2 + 16 && block_matches_table<BlockQ4_0>());
static_assert(sizeof(BlockQ4_1) == 4 + 16 && block_matches_table<BlockQ4_1>());
static_assert(sizeof(BlockQ5_0) == 2 + 4 + 16 && block_matches_table<BlockQ5_0>());
static_assert(sizeof(BlockQ5_1) == 4 + 4 + 16 && block_matches_table<BlockQ5_1>());
static_assert(sizeof(BlockQ8_0) == 2 + 32 && block_matches_table<BlockQ8_0>());
static_assert(sizeof(BlockQ8_1) == 4 + 32 && block_matches_table<BlockQ8_1>());
static_assert(sizeof(BlockIQ4_NL) == 2 + 16 && block_matches_table<BlockIQ4_NL>());
static_assert(sizeof(BlockMXFP4) == 1 + 16 && block_matches_table<BlockMXFP4>());
static_assert(sizeof(BlockQ2_K) == 4 + 16 + 64 && block_matches_table<BlockQ2_K>());
static_assert(sizeof(BlockQ3_K) == 2 + 64 + 32 + 12 && block_matches_table<BlockQ3_K>());
static_assert(sizeof(BlockQ4_K) == 4 + 12 + 128 && block_matches_table<BlockQ4_K>());
static_assert(sizeof(BlockQ5_K) == 4 + 12 + 32 + 128 && block_matches_table<BlockQ5_K>());
static_assert(sizeof(BlockQ6_K) == 2 + 16 + 192 && block_matches_table<BlockQ6_K>());
static_assert(sizeof(BlockQ8_K) == 4 + 256 + 32 && block_matches_table<BlockQ8_K>());
static_assert(sizeof(BlockIQ4_XS) == 2 + 2 + 4 + 128 && block_matches_table<BlockIQ4_XS>());

// ---- shared value tables -------------------------------------------------------

// The 16 non-linear levels of iq4_nl / iq4_xs (ggml kvalues_iq4nl).
inline constexpr int8_t kIq4nlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10,
                                            1,    13,   25,  38,  53,  69,  89,  113};
// E2M1 values times two, indexed by the 4-bit code (ggml kvalues_mxfp4).
inline constexpr int8_t kMxfp4Values[16] = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

// Unpacks the j-th (0..7) 6-bit scale and min of a q4_K / q5_K block's
// 12-byte `scales`: bytes 0..3 hold scales 0..3 (low 6 bits) and the top 2
// bits of scales 4..7; bytes 4..7 the same for mins; bytes 8..11 hold the low
// 4 bits of scales 4..7 (low nibble) and mins 4..7 (high nibble).
inline void get_scale_min_k4(int j, const uint8_t* q, uint8_t* sc, uint8_t* m) {
  if (j < 4) {
    *sc = q[j] & 63;
    *m = q[j + 4] & 63;
  } else {
    *sc = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

}  // namespace hako
