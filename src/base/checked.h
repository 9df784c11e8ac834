// Overflow-safe size arithmetic for values that come from files or requests.
// Each returns false (or throws, the *_or_throw forms) instead of wrapping.
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"

namespace hako {

inline bool checked_add(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}
inline bool checked_mul(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

// what: names the quantity in the error message ("tensor 'x' byte size").
inline uint64_t add_or_throw(uint64_t a, uint64_t b, const std::string& what) {
  uint64_t r;
  if (!checked_add(a, b, &r)) throw Error(ErrorKind::kLimit, what + " overflows 64 bits");
  return r;
}
inline uint64_t mul_or_throw(uint64_t a, uint64_t b, const std::string& what) {
  uint64_t r;
  if (!checked_mul(a, b, &r)) throw Error(ErrorKind::kLimit, what + " overflows 64 bits");
  return r;
}

}  // namespace hako
