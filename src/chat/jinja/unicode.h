// Code-point level string helpers for the Jinja engine: UTF-8 decoding and
// encoding, and the Python str predicates and case mappings that templates
// reach through filters and methods (isspace, isprintable, upper, lower ...).
// Strings stay UTF-8 std::string everywhere; these functions are what makes
// length, indexing, slicing and strip count code points as Python does.
// Invalid UTF-8 is tolerated: each bad byte decodes as one code point
// U+DC80+byte (Python's surrogateescape), so nothing here throws or crashes.
// Not here: normalisation, grapheme clusters, locale-aware collation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hako::jinja::unicode {

// Decodes the code point starting at s[i] and advances i past it.
// Precondition: i < s.size().
char32_t decode_next(std::string_view s, size_t& i);
// Appends cp as UTF-8 (surrogate-escaped bytes U+DC80..U+DCFF become the raw byte).
void append_utf8(std::string& out, char32_t cp);
// All code points of s.
std::vector<char32_t> decode_all(std::string_view s);
std::string encode_all(const std::vector<char32_t>& cps);
// Number of code points in s (Python len()).
size_t length(std::string_view s);
// Byte offset of code point index cp_index (clamped to s.size()).
size_t byte_offset(std::string_view s, size_t cp_index);
bool is_ascii(std::string_view s);
// Byte offset of the first occurrence of needle in hay at or after `from`,
// or npos. Linear time (memmem), unlike std::string_view::find's worst case.
size_t find_bytes(std::string_view hay, std::string_view needle, size_t from = 0);

// Python str.isspace() for one code point (Unicode White_Space + the
// bidirectional separators Python counts: \x1c-\x1f).
bool is_space(char32_t cp);
// Python str.isprintable() for one code point: false for categories Cc, Cf,
// Cs, Co, Cn, Zl, Zp and Zs other than U+0020.
bool is_printable(char32_t cp);
bool is_alpha(char32_t cp);
bool is_digit(char32_t cp);     // Unicode Nd
bool is_numeric(char32_t cp);   // Nd, Nl, No
bool is_alnum(char32_t cp);
bool is_upper(char32_t cp);
bool is_lower(char32_t cp);
// Python line boundaries for str.splitlines().
bool is_line_break(char32_t cp);

// Simple (one-to-one) case mappings, plus U+00DF -> "SS" for to_upper_str.
char32_t to_upper(char32_t cp);
char32_t to_lower(char32_t cp);
char32_t to_title(char32_t cp);
std::string upper(std::string_view s);
std::string lower(std::string_view s);

}  // namespace hako::jinja::unicode
