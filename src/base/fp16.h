// IEEE half and bfloat16 conversions, bit-exact with ggml's scalar versions
// (round to nearest even; NaN stays NaN). Table-driven f16->f32 for speed.
#pragma once

#include <cstdint>
#include <cstring>

namespace hako {

using f16_t = uint16_t;   // raw IEEE binary16 bits
using bf16_t = uint16_t;  // raw bfloat16 bits

inline float bits_to_f32(uint32_t u) { float f; std::memcpy(&f, &u, 4); return f; }
inline uint32_t f32_to_bits(float f) { uint32_t u; std::memcpy(&u, &f, 4); return u; }

// Exact conversion of any binary16 value.
float f16_to_f32_compute(f16_t h);
// Round-to-nearest-even conversion; overflow gives inf.
f16_t f32_to_f16(float f);

// Lookup table (256 KiB, built on first use) for hot loops.
extern const float* const kF16Table;
inline float f16_to_f32(f16_t h) { return kF16Table[h]; }

inline float bf16_to_f32(bf16_t h) { return bits_to_f32(static_cast<uint32_t>(h) << 16); }
inline bf16_t f32_to_bf16(float f) {
  uint32_t u = f32_to_bits(f);
  if ((u & 0x7fffffff) > 0x7f800000) return static_cast<bf16_t>((u >> 16) | 64);  // quiet NaN
  return static_cast<bf16_t>((u + (0x7fff + ((u >> 16) & 1))) >> 16);
}

}  // namespace hako
