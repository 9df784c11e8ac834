// binary16 conversion (the bit manipulation follows the IEEE 754 layout:
// 1 sign, 5 exponent, 10 mantissa bits; subnormals handled exactly).
#include "base/fp16.h"

#include <cmath>
#include <vector>

namespace hako {

float f16_to_f32_compute(f16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  if (exp == 0) {
    if (mant == 0) return bits_to_f32(sign);
    // subnormal: value = mant * 2^-24
    const float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  if (exp == 31) return bits_to_f32(sign | 0x7f800000 | (mant << 13));
  return bits_to_f32(sign | ((exp + 112) << 23) | (mant << 13));
}

f16_t f32_to_f16(float f) {
  const uint32_t x = f32_to_bits(f);
  const uint32_t sign = (x >> 16) & 0x8000;
  const uint32_t ax = x & 0x7fffffff;
  if (ax > 0x7f800000) return static_cast<f16_t>(sign | 0x7e00);  // NaN
  if (ax >= 0x47800000) {                                          // >= 65536 rounds to inf
    // values in [65520, 65536) round to inf too; handled below by rounding
    if (ax >= 0x477ff000) return static_cast<f16_t>(sign | 0x7c00);
  }
  if (ax < 0x38800000) {  // below the smallest normal half (2^-14): subnormal or zero
    if (ax < 0x33000000) return static_cast<f16_t>(sign);  // < 2^-25 rounds to 0
    const uint32_t e = ax >> 23;
    const uint32_t m = (ax & 0x7fffff) | 0x800000;
    const uint32_t shift = 126 - e;  // 14 + 113 - e - 1 ... produces 10-bit subnormal
    const uint32_t q = m >> shift;
    const uint32_t rem = m & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    uint32_t r = q + ((rem > half || (rem == half && (q & 1))) ? 1 : 0);
    return static_cast<f16_t>(sign | r);
  }
  // normal: rebias exponent, round mantissa to 10 bits (nearest even)
  uint32_t r = ax - 0x38000000;  // exponent -112
  const uint32_t lsb = (r >> 13) & 1;
  r += 0xfff + lsb;
  r >>= 13;
  if (r >= 0x7c00) r = 0x7c00;
  return static_cast<f16_t>(sign | r);
}

namespace {
const float* build_table() {
  static std::vector<float> t = [] {
    std::vector<float> v(65536);
    for (uint32_t i = 0; i < 65536; ++i) v[i] = f16_to_f32_compute(static_cast<f16_t>(i));
    return v;
  }();
  return t.data();
}
}  // namespace

const float* const kF16Table = build_table();

}  // namespace hako
