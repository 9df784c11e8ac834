// Inline, branch-free binary16 -> float conversion for hot loops that the
// compiler can vectorize (a table lookup cannot be). Exact for every value,
// including subnormals, infinities and NaN; agrees with base/fp16.h.
#pragma once

#include <cstdint>
#include <cstring>

namespace hako::ops {

inline float f16_bits_to_f32(uint16_t h) {
  // Shift exponent+mantissa into float position and rescale by 2^112: exact
  // for normal and subnormal halves. Inf/NaN get the all-ones exponent.
  const uint32_t em = static_cast<uint32_t>(h & 0x7fffu);
  uint32_t bits = em << 13;
  float f;
  std::memcpy(&f, &bits, 4);
  f *= 0x1p112f;
  std::memcpy(&bits, &f, 4);
  bits |= em >= 0x7c00u ? 0x7f800000u : 0u;
  bits |= static_cast<uint32_t>(h & 0x8000u) << 16;
  std::memcpy(&f, &bits, 4);
  return f;
}

}  // namespace hako::ops
