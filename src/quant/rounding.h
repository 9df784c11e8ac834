// Internal helpers shared by the reference quantizers: the exact integer
// rounding rules ggml uses, so each family file states which one it applies.
// Not a public header: only src/quant/*.cpp include it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace hako::quant_detail {

// ggml's nearest_int: adds 1.5*2^23 and reads the mantissa, which rounds to
// nearest with ties to even for |x| < 2^22 (the range ggml asserts). Inputs
// outside it (or NaN) give an unspecified int, as in ggml, but never UB.
inline int nearest_int(float x) {
  const float v = x + 12582912.f;
  int32_t i;
  std::memcpy(&i, &v, sizeof(i));
  return (i & 0x007fffff) - 0x00400000;
}

// C's float->int conversion (truncation toward zero) as ggml's `(int8_t)(x)`
// casts do it, with the undefined cases (NaN, out of range) pinned to 0 so a
// degenerate input row cannot trigger UB. Identical to the cast for |x| < 2^31.
inline int trunc_to_int(float x) {
  if (!(std::fabs(x) < 2147483520.f)) return 0;
  return static_cast<int>(x);
}

// roundf (halfway cases away from zero) then conversion to int, as ggml's
// `y = roundf(x)` into an int8_t field; the out-of-range cases pinned as above.
inline int round_away(float x) { return trunc_to_int(std::round(x)); }

// The 32-bit little-endian high-bit mask of q5_0 / q5_1 blocks.
inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline void store_u32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, sizeof(v)); }

}  // namespace hako::quant_detail
