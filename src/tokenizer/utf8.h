// UTF-8 helpers for the tokenizer: decoding one code point with explicit
// handling of malformed bytes, encoding, validation and the length of an
// incomplete trailing sequence (for streaming). Pure functions on byte
// strings; no Unicode properties (see unicode.h) and no allocation except in
// the functions returning std::string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hako::tokenizer {

inline constexpr uint32_t kReplacementChar = 0xFFFD;
inline constexpr uint32_t kInvalidCodePoint = 0xFFFFFFFF;

// Length of the UTF-8 sequence announced by lead byte `b` (1 for ASCII and
// for bytes that cannot start a sequence).
inline size_t utf8_seq_len(uint8_t b) {
  if (b < 0x80) return 1;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  if (b >= 0xE0) return b <= 0xEF ? 3 : 1;
  if (b >= 0xC2) return 2;
  return 1;
}

// Decodes the code point starting at s[pos]. Returns the number of bytes it
// occupies (>= 1) and sets cp, or returns the length of the maximal invalid
// subpart (>= 1, as in Unicode's "substitution of maximal subparts") and sets
// cp = kInvalidCodePoint. pos must be < s.size().
size_t utf8_decode(std::string_view s, size_t pos, uint32_t& cp);

// Appends the UTF-8 encoding of cp (cp must be a valid scalar value).
void utf8_append(std::string& out, uint32_t cp);
std::string utf8_encode(uint32_t cp);

// True if s is entirely valid UTF-8 (no surrogates, no overlongs).
bool utf8_is_valid(std::string_view s);

// Number of bytes at the end of s that form a valid but incomplete sequence
// (a prefix of some valid code point): 0..3. Used by the stream decoder to
// hold bytes back until the character is complete.
size_t utf8_incomplete_tail(std::string_view s);

// s with every maximal invalid subpart replaced by U+FFFD (what Rust's
// String::from_utf8_lossy and Python's errors="replace" produce).
std::string utf8_sanitize(std::string_view s);

}  // namespace hako::tokenizer
