// Python str methods on UTF-8 strings, counted in code points, shared by
// the string filters (trim, title, center ...) and the str methods
// (s.strip(), s.split() ...): strip family, split/rsplit, replace, title,
// capitalize, center/ljust/rjust, splitlines, find. Pure functions.
// Not here: formatting (py_format.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hako::jinja::str_ops {

enum class StripSide : uint8_t { kBoth, kLeft, kRight };
enum class KeepEnds : uint8_t { kNo, kYes };
enum class SearchFrom : uint8_t { kStart, kEnd };

// chars = nullopt strips Python whitespace; otherwise any code point in chars.
std::string strip(std::string_view s, const std::optional<std::string>& chars, StripSide side);
// sep = nullopt splits on runs of whitespace. maxsplit < 0 = no limit.
// Throws ValueError("empty separator") for an empty sep.
std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep, int64_t maxsplit);
std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string>& sep, int64_t maxsplit);
// count < 0 = all.
std::string replace(std::string_view s, std::string_view old_s, std::string_view new_s, int64_t count);
std::string title(std::string_view s);          // str.title()
std::string jinja_title(std::string_view s);    // Jinja2's |title (word starts after - ( { [ < and spaces)
std::string capitalize(std::string_view s);
std::string swapcase(std::string_view s);
// Pads to `width` code points; side: kBoth = center (Python's bias), kLeft = rjust, kRight = ljust.
std::string pad(std::string_view s, int64_t width, char32_t fill, StripSide side);
std::vector<std::string> splitlines(std::string_view s, KeepEnds keep);
// Code-point index of the first/last occurrence in s[start:end], or -1.
int64_t find(std::string_view s, std::string_view sub, std::optional<int64_t> start, std::optional<int64_t> end,
             SearchFrom from);
int64_t count(std::string_view s, std::string_view sub);

}  // namespace hako::jinja::str_ops
