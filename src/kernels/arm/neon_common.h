// Small NEON helpers shared by the ARM64 kernel files (loads, nibble
// unpacking, int8 dot products with and without the dotprod extension).
// Included only by arm/*.cpp, each compiled with its own ISA flags;
// internal linkage only (see x86/avx_common.h for why).
#pragma once

#if !defined(__aarch64__)
#error "arm kernel files are for ARM64"
#endif

#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/token_chunks.h"

namespace hako::arm {
namespace {

using kernel_detail::act_row;
using kernel_detail::ActRow;
using kernel_detail::for_token_chunks;

// Two 16-byte halves: elements 0..15 and 16..31 of a 32-element group.
struct I8x32 {
  int8x16_t lo, hi;
};

inline I8x32 load_i8x32(const void* p) {
  const auto* b = static_cast<const int8_t*>(p);
  return {vld1q_s8(b), vld1q_s8(b + 16)};
}

inline float f16_scalar(uint16_t h) {
  float16_t f;
  std::memcpy(&f, &h, 2);
  return static_cast<float>(f);
}

// 16 bytes holding 32 nibbles -> low nibbles (elements 0..15), high nibbles (16..31).
inline I8x32 unpack_nibbles(const uint8_t* p) {
  const uint8x16_t q = vld1q_u8(p);
  return {vreinterpretq_s8_u8(vandq_u8(q, vdupq_n_u8(0x0F))), vreinterpretq_s8_u8(vshrq_n_u8(q, 4))};
}

inline I8x32 sub_i8(I8x32 v, int8_t k) { return {vsubq_s8(v.lo, vdupq_n_s8(k)), vsubq_s8(v.hi, vdupq_n_s8(k))}; }
inline I8x32 or_i8(I8x32 a, I8x32 b) { return {vorrq_s8(a.lo, b.lo), vorrq_s8(a.hi, b.hi)}; }

// Sum of products of 16 signed bytes into 4 int32 lanes.
inline int32x4_t dot16(int32x4_t acc, int8x16_t a, int8x16_t b) {
#if defined(__ARM_FEATURE_DOTPROD)
  return vdotq_s32(acc, a, b);
#else
  const int16x8_t lo = vmull_s8(vget_low_s8(a), vget_low_s8(b));
  const int16x8_t hi = vmull_high_s8(a, b);
  return vpadalq_s16(vpadalq_s16(acc, lo), hi);
#endif
}

inline int32x4_t dot32(int32x4_t acc, I8x32 a, I8x32 b) { return dot16(dot16(acc, a.lo, b.lo), a.hi, b.hi); }

// 0x10 in each byte j (0..31) whose bit j is set in the little-endian qh.
inline I8x32 high_bits_x16(const uint8_t* qh) {
  uint32_t bits;
  std::memcpy(&bits, qh, 4);
  const uint8x16_t all = vreinterpretq_u8_u32(vdupq_n_u32(bits));
  static const uint8_t kIdxLo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
  static const uint8_t kIdxHi[16] = {2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3};
  static const uint8_t kBit[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
  const uint8x16_t bit = vld1q_u8(kBit), x10 = vdupq_n_u8(0x10);
  const uint8x16_t lo = vandq_u8(vtstq_u8(vqtbl1q_u8(all, vld1q_u8(kIdxLo)), bit), x10);
  const uint8x16_t hi = vandq_u8(vtstq_u8(vqtbl1q_u8(all, vld1q_u8(kIdxHi)), bit), x10);
  return {vreinterpretq_s8_u8(lo), vreinterpretq_s8_u8(hi)};
}

inline I8x32 lookup16(const int8_t* table, I8x32 idx) {
  const int8x16_t t = vld1q_s8(table);
  return {vqtbl1q_s8(t, vreinterpretq_u8_s8(idx.lo)), vqtbl1q_s8(t, vreinterpretq_u8_s8(idx.hi))};
}

}  // namespace
}  // namespace hako::arm
