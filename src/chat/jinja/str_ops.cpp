// Python str methods (see str_ops.h).
#include "chat/jinja/str_ops.h"

#include "chat/jinja/jinja_error.h"
#include "chat/jinja/unicode.h"

namespace hako::jinja::str_ops {
namespace {

using unicode::decode_all;
using unicode::encode_all;

bool in_set(char32_t cp, const std::vector<char32_t>& set) {
  for (char32_t c : set) {
    if (c == cp) return true;
  }
  return false;
}

// Python's slice-index normalisation for find(start, end).
int64_t clamp_index(std::optional<int64_t> v, int64_t len, int64_t fallback) {
  if (!v) return fallback;
  int64_t x = *v;
  if (x < 0) x += len;
  if (x < 0) x = 0;
  if (x > len) x = len;
  return x;
}

}  // namespace

std::string strip(std::string_view s, const std::optional<std::string>& chars, StripSide side) {
  const std::vector<char32_t> cps = decode_all(s);
  const std::vector<char32_t> set = chars ? decode_all(*chars) : std::vector<char32_t>{};
  auto stripped = [&](char32_t cp) { return chars ? in_set(cp, set) : unicode::is_space(cp); };
  size_t b = 0, e = cps.size();
  if (side != StripSide::kRight) {
    while (b < e && stripped(cps[b])) ++b;
  }
  if (side != StripSide::kLeft) {
    while (e > b && stripped(cps[e - 1])) --e;
  }
  return encode_all(std::vector<char32_t>(cps.begin() + static_cast<std::ptrdiff_t>(b),
                                          cps.begin() + static_cast<std::ptrdiff_t>(e)));
}

std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep, int64_t maxsplit) {
  std::vector<std::string> out;
  if (sep) {
    if (sep->empty()) throw_error(ErrorClass::kValueError, "empty separator");
    size_t start = 0;
    while (maxsplit < 0 || static_cast<int64_t>(out.size()) < maxsplit) {
      const size_t at = unicode::find_bytes(s, *sep, start);
      if (at == std::string_view::npos) break;
      out.emplace_back(s.substr(start, at - start));
      start = at + sep->size();
    }
    out.emplace_back(s.substr(start));
    return out;
  }
  const std::vector<char32_t> cps = decode_all(s);
  size_t i = 0;
  while (i < cps.size()) {
    while (i < cps.size() && unicode::is_space(cps[i])) ++i;
    if (i >= cps.size()) break;
    if (maxsplit >= 0 && static_cast<int64_t>(out.size()) >= maxsplit) {
      size_t e = cps.size();
      while (e > i && unicode::is_space(cps[e - 1])) --e;
      out.push_back(encode_all(std::vector<char32_t>(cps.begin() + static_cast<std::ptrdiff_t>(i),
                                                     cps.begin() + static_cast<std::ptrdiff_t>(e))));
      break;
    }
    size_t j = i;
    while (j < cps.size() && !unicode::is_space(cps[j])) ++j;
    out.push_back(encode_all(std::vector<char32_t>(cps.begin() + static_cast<std::ptrdiff_t>(i),
                                                   cps.begin() + static_cast<std::ptrdiff_t>(j))));
    i = j;
  }
  return out;
}

std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string>& sep, int64_t maxsplit) {
  if (maxsplit < 0) return split(s, sep, maxsplit);
  std::vector<std::string> rev;
  if (sep) {
    if (sep->empty()) throw_error(ErrorClass::kValueError, "empty separator");
    size_t end = s.size();
    while (static_cast<int64_t>(rev.size()) < maxsplit) {
      if (end < sep->size()) break;
      const size_t at = s.rfind(*sep, end - sep->size());
      if (at == std::string_view::npos) break;
      rev.emplace_back(s.substr(at + sep->size(), end - at - sep->size()));
      end = at;
    }
    rev.emplace_back(s.substr(0, end));
  } else {
    const std::vector<char32_t> cps = decode_all(s);
    size_t e = cps.size();
    while (true) {
      while (e > 0 && unicode::is_space(cps[e - 1])) --e;
      if (e == 0) break;
      if (static_cast<int64_t>(rev.size()) >= maxsplit) {
        size_t b = 0;
        while (b < e && unicode::is_space(cps[b])) ++b;
        rev.push_back(encode_all(std::vector<char32_t>(cps.begin() + static_cast<std::ptrdiff_t>(b),
                                                       cps.begin() + static_cast<std::ptrdiff_t>(e))));
        break;
      }
      size_t b = e;
      while (b > 0 && !unicode::is_space(cps[b - 1])) --b;
      rev.push_back(encode_all(std::vector<char32_t>(cps.begin() + static_cast<std::ptrdiff_t>(b),
                                                     cps.begin() + static_cast<std::ptrdiff_t>(e))));
      e = b;
    }
  }
  return std::vector<std::string>(rev.rbegin(), rev.rend());
}

std::string replace(std::string_view s, std::string_view old_s, std::string_view new_s, int64_t count) {
  std::string out;
  if (old_s.empty()) {
    // Python inserts new_s before every code point and at the end.
    int64_t done = 0;
    size_t i = 0;
    while (i <= s.size()) {
      if (count < 0 || done < count) {
        out += new_s;
        ++done;
      }
      if (i == s.size()) break;
      const size_t start = i;
      unicode::decode_next(s, i);
      out.append(s.substr(start, i - start));
    }
    return out;
  }
  size_t start = 0;
  int64_t done = 0;
  while (count < 0 || done < count) {
    const size_t at = unicode::find_bytes(s, old_s, start);
    if (at == std::string_view::npos) break;
    out.append(s.substr(start, at - start));
    out.append(new_s);
    start = at + old_s.size();
    ++done;
  }
  out.append(s.substr(start));
  return out;
}

std::string title(std::string_view s) {
  std::string out;
  bool prev_cased = false;
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = unicode::decode_next(s, i);
    const bool cased = unicode::is_upper(cp) || unicode::is_lower(cp) || unicode::to_upper(cp) != unicode::to_lower(cp);
    unicode::append_utf8(out, prev_cased ? unicode::to_lower(cp) : unicode::to_title(cp));
    prev_cased = cased;
  }
  return out;
}

std::string jinja_title(std::string_view s) {
  // "".join(w[0].upper() + w[1:].lower() for w in re.split(r"([-\s({\[<]+)", s) if w)
  const std::vector<char32_t> cps = decode_all(s);
  auto is_sep = [](char32_t c) { return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || unicode::is_space(c); };
  std::string out;
  size_t i = 0;
  while (i < cps.size()) {
    size_t j = i;
    const bool sep = is_sep(cps[i]);
    while (j < cps.size() && is_sep(cps[j]) == sep) ++j;
    for (size_t k = i; k < j; ++k) {
      unicode::append_utf8(out, k == i ? unicode::to_upper(cps[k]) : unicode::to_lower(cps[k]));
    }
    i = j;
  }
  return out;
}

std::string capitalize(std::string_view s) {
  std::string out;
  size_t i = 0;
  bool first = true;
  while (i < s.size()) {
    const char32_t cp = unicode::decode_next(s, i);
    unicode::append_utf8(out, first ? unicode::to_title(cp) : unicode::to_lower(cp));
    first = false;
  }
  return out;
}

std::string swapcase(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = unicode::decode_next(s, i);
    unicode::append_utf8(out, unicode::is_upper(cp) ? unicode::to_lower(cp) : unicode::to_upper(cp));
  }
  return out;
}

std::string pad(std::string_view s, int64_t width, char32_t fill, StripSide side) {
  const auto len = static_cast<int64_t>(unicode::length(s));
  if (width <= len) return std::string(s);
  const int64_t total = width - len;
  int64_t left = 0;
  if (side == StripSide::kBoth) {
    left = total / 2 + (total & width & 1);  // CPython's centering bias
  } else if (side == StripSide::kLeft) {
    left = total;
  }
  std::string f;
  unicode::append_utf8(f, fill);
  std::string out;
  for (int64_t k = 0; k < left; ++k) out += f;
  out += s;
  for (int64_t k = 0; k < total - left; ++k) out += f;
  return out;
}

std::vector<std::string> splitlines(std::string_view s, KeepEnds keep) {
  std::vector<std::string> out;
  const std::vector<char32_t> cps = decode_all(s);
  size_t start = 0, i = 0;
  while (i < cps.size()) {
    if (!unicode::is_line_break(cps[i])) {
      ++i;
      continue;
    }
    size_t eol = i + 1;
    if (cps[i] == '\r' && eol < cps.size() && cps[eol] == '\n') ++eol;
    const size_t end = keep == KeepEnds::kYes ? eol : i;
    out.push_back(encode_all(std::vector<char32_t>(cps.begin() + static_cast<std::ptrdiff_t>(start),
                                                   cps.begin() + static_cast<std::ptrdiff_t>(end))));
    start = i = eol;
  }
  if (start < cps.size()) {
    out.push_back(encode_all(std::vector<char32_t>(cps.begin() + static_cast<std::ptrdiff_t>(start), cps.end())));
  }
  return out;
}

int64_t find(std::string_view s, std::string_view sub, std::optional<int64_t> start, std::optional<int64_t> end,
             SearchFrom from) {
  const auto len = static_cast<int64_t>(unicode::length(s));
  const int64_t b = clamp_index(start, len, 0);
  const int64_t e = clamp_index(end, len, len);
  if (e - b < static_cast<int64_t>(unicode::length(sub))) return -1;
  const size_t byte_b = unicode::byte_offset(s, static_cast<size_t>(b));
  const size_t byte_e = unicode::byte_offset(s, static_cast<size_t>(e));
  const std::string_view window = s.substr(byte_b, byte_e - byte_b);
  size_t at = std::string_view::npos;
  if (from == SearchFrom::kEnd) {
    at = window.rfind(sub);
  } else {
    at = unicode::find_bytes(window, sub);
  }
  if (at == std::string_view::npos) return -1;
  return b + static_cast<int64_t>(unicode::length(window.substr(0, at)));
}

int64_t count(std::string_view s, std::string_view sub) {
  if (sub.empty()) return static_cast<int64_t>(unicode::length(s)) + 1;
  int64_t n = 0;
  for (size_t at = unicode::find_bytes(s, sub); at != std::string_view::npos;
       at = unicode::find_bytes(s, sub, at + sub.size())) {
    ++n;
  }
  return n;
}

}  // namespace hako::jinja::str_ops
