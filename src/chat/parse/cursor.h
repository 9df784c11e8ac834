// Cursor: a read position over a string view for the small recursive-descent
// parsers of tool-call bodies (Gemma 4 values, Python literals). Header-only;
// it owns nothing and never reads past the end.
#pragma once

#include <string_view>

#include "chat/parse/emitter.h"

namespace hako::chat {

struct Cursor {
  std::string_view s;
  size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
  std::string_view rest() const { return s.substr(i < s.size() ? i : s.size()); }
  void skip_space() {
    while (i < s.size() && is_space(s[i])) ++i;
  }
  // Consumes `lit` when the text continues with it.
  bool eat(std::string_view lit) {
    if (!rest().starts_with(lit)) return false;
    i += lit.size();
    return true;
  }
  // Consumes and returns the text up to (not including) the first `stop`,
  // which is consumed too; false (and no move) when `stop` does not occur.
  bool take_until(std::string_view stop, std::string_view* out) {
    const size_t at = s.find(stop, i);
    if (at == std::string_view::npos) return false;
    *out = s.substr(i, at - i);
    i = at + stop.size();
    return true;
  }
};

inline bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

}  // namespace hako::chat
