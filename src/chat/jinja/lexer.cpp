// The Jinja2 lexer (see lexer.h). It follows jinja2/lexer.py rule by rule:
// the root state finds the earliest `{{`, `{%` or `{#` (a `{% raw %}` opener
// first), applies `-`/lstrip_blocks to the text before it, then a tag state
// reads tokens until its end marker, trying the end marker first at every
// position unless brackets are open.
#include "chat/jinja/lexer.h"

#include <charconv>
#include <cstring>

#include "chat/jinja/unicode.h"

namespace hako::jinja {
namespace {

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_ascii_digit(c); }

// Offset just past the leading Python whitespace of s[from..].
size_t skip_space(std::string_view s, size_t from) {
  size_t i = from;
  while (i < s.size()) {
    size_t next = i;
    if (!unicode::is_space(unicode::decode_next(s, next))) break;
    i = next;
  }
  return i;
}

// Python str.rstrip(): length of s without trailing whitespace.
size_t rstrip_length(std::string_view s) {
  size_t i = 0, keep = 0;
  while (i < s.size()) {
    const char32_t cp = unicode::decode_next(s, i);
    if (!unicode::is_space(cp)) keep = i;
  }
  return keep;
}

bool all_space(std::string_view s) {
  if (s.empty()) return false;
  return skip_space(s, 0) == s.size();
}

// Newlines normalised to "\n" and one trailing newline removed (Jinja2's
// keep_trailing_newline=False).
std::string normalize_source(std::string_view source) {
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out.push_back(source[i]);
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

enum class TagKind { kRaw, kComment, kBlock, kVariable };

struct TagStart {
  size_t at = std::string_view::npos;  // offset of '{'
  size_t body = 0;                     // offset just past the opener match
  TagKind kind = TagKind::kBlock;
  char sign = 0;                       // '-', '+' or 0
};

class Lexer {
 public:
  Lexer(std::string_view source, const LexerOptions& options)
      : src_(normalize_source(source)), opt_(options) {}

  std::vector<Token> run() {
    while (pos_ < src_.size()) lex_root();
    emit(TokenType::kEof, "", src_.size());
    return std::move(out_);
  }

 private:
  SourcePos pos_at(size_t offset) {
    if (offset < cursor_) {
      cursor_ = 0;
      line_ = 1;
      col_ = 1;
    }
    while (cursor_ < offset && cursor_ < src_.size()) {
      const char c = src_[cursor_++];
      if (c == '\n') {
        ++line_;
        col_ = 1;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++col_;
      }
    }
    return SourcePos{line_, col_};
  }

  [[noreturn]] void fail(const std::string& msg, size_t offset) { throw_syntax_error(msg, pos_at(offset)); }

  Token& emit(TokenType type, std::string value, size_t offset) {
    Token t;
    t.type = type;
    t.value = std::move(value);
    t.pos = pos_at(offset);
    out_.push_back(std::move(t));
    return out_.back();
  }

  // Matches `{%(-|+|)\s*raw\s*(-%}\s*|%})` at i; returns the end or npos.
  size_t match_raw_open(size_t i) const {
    size_t p = i + 2;
    if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) ++p;
    p = skip_space(src_, p);
    if (src_.compare(p, 3, "raw") != 0) return std::string_view::npos;
    p = skip_space(src_, p + 3);
    if (src_.compare(p, 3, "-%}") == 0) return skip_space(src_, p + 3);
    if (src_.compare(p, 2, "%}") == 0) return p + 2;
    return std::string_view::npos;
  }

  TagStart find_tag(size_t from) const {
    TagStart t;
    for (size_t i = src_.find('{', from); i != std::string::npos; i = src_.find('{', i + 1)) {
      if (i + 1 >= src_.size()) break;
      const char c = src_[i + 1];
      if (c != '{' && c != '%' && c != '#') continue;
      t.at = i;
      const char s = i + 2 < src_.size() ? src_[i + 2] : 0;
      t.sign = (s == '-' || s == '+') ? s : 0;
      t.body = i + 2 + (t.sign ? 1 : 0);
      if (c == '%') {
        const size_t raw_end = match_raw_open(i);
        if (raw_end != std::string_view::npos) {
          t.kind = TagKind::kRaw;
          t.body = raw_end;
          return t;
        }
        t.kind = TagKind::kBlock;
      } else {
        t.kind = c == '{' ? TagKind::kVariable : TagKind::kComment;
      }
      return t;
    }
    return t;
  }

  // Text before a tag, after `-` stripping or lstrip_blocks.
  std::string_view strip_text(std::string_view text, char sign, TagKind kind) const {
    if (sign == '-') return text.substr(0, rstrip_length(text));
    if (sign == '+' || !opt_.lstrip_blocks || kind == TagKind::kVariable) return text;
    const size_t nl = text.rfind('\n');
    const size_t l_pos = nl == std::string_view::npos ? 0 : nl + 1;
    if ((l_pos > 0 || line_starting_) && all_space(text.substr(l_pos))) return text.substr(0, l_pos);
    return text;
  }

  void emit_data(std::string_view text, size_t offset) {
    if (!text.empty()) emit(TokenType::kData, std::string(text), offset);
  }

  void lex_root() {
    const TagStart tag = find_tag(pos_);
    if (tag.at == std::string_view::npos) {
      emit_data(std::string_view(src_).substr(pos_), pos_);
      pos_ = src_.size();
      return;
    }
    const std::string_view text = std::string_view(src_).substr(pos_, tag.at - pos_);
    emit_data(strip_text(text, tag.sign, tag.kind), pos_);
    line_starting_ = src_[tag.body - 1] == '\n';
    pos_ = tag.body;
    switch (tag.kind) {
      case TagKind::kRaw: lex_raw(tag.at); break;
      case TagKind::kComment: lex_comment(tag.at); break;
      case TagKind::kBlock:
        emit(TokenType::kBlockBegin, "{%", tag.at);
        lex_tag(TokenType::kBlockEnd, tag.at);
        break;
      case TagKind::kVariable:
        emit(TokenType::kVariableBegin, "{{", tag.at);
        lex_tag(TokenType::kVariableEnd, tag.at);
        break;
    }
  }

  // After a block-style end marker at p ("%}" or "#}" with an optional
  // sign before it): returns the offset past the marker and its suffix.
  size_t end_marker_suffix(size_t p, char sign) const {
    if (sign == '-') return skip_space(src_, p + 3);
    if (sign == '+') return p + 3;
    size_t e = p + 2;
    if (opt_.trim_blocks && e < src_.size() && src_[e] == '\n') ++e;
    return e;
  }

  void finish_rule(size_t end) {
    line_starting_ = end > 0 && src_[end - 1] == '\n';
    pos_ = end;
  }

  void lex_comment(size_t open_at) {
    const size_t q = src_.find("#}", pos_);
    if (q == std::string::npos) fail("Missing end of comment tag", open_at);
    size_t p = q;
    char sign = 0;
    if (q > pos_ && (src_[q - 1] == '-' || src_[q - 1] == '+')) {
      p = q - 1;
      sign = src_[p];
    }
    finish_rule(end_marker_suffix(p, sign));
  }

  void lex_raw(size_t open_at) {
    for (size_t i = src_.find("{%", pos_); i != std::string::npos; i = src_.find("{%", i + 1)) {
      size_t p = i + 2;
      char sign = 0;
      if (p < src_.size() && (src_[p] == '-' || src_[p] == '+')) sign = src_[p++];
      p = skip_space(src_, p);
      if (src_.compare(p, 6, "endraw") != 0) continue;
      p = skip_space(src_, p + 6);
      size_t end = std::string::npos;
      if (src_.compare(p, 3, "+%}") == 0) {
        end = end_marker_suffix(p, '+');
      } else if (src_.compare(p, 3, "-%}") == 0) {
        end = end_marker_suffix(p, '-');
      } else if (src_.compare(p, 2, "%}") == 0) {
        end = end_marker_suffix(p, 0);
      } else {
        continue;
      }
      const std::string_view text = std::string_view(src_).substr(pos_, i - pos_);
      emit_data(strip_text(text, sign, TagKind::kRaw), pos_);
      finish_rule(end);
      return;
    }
    fail("Missing end of raw directive", open_at);
  }

  // Returns the end offset if an end marker of `end_type` starts at pos_.
  size_t match_tag_end(TokenType end_type) const {
    const std::string_view rest = std::string_view(src_).substr(pos_);
    if (end_type == TokenType::kBlockEnd) {
      if (rest.substr(0, 3) == "+%}") return end_marker_suffix(pos_, '+');
      if (rest.substr(0, 3) == "-%}") return end_marker_suffix(pos_, '-');
      if (rest.substr(0, 2) == "%}") return end_marker_suffix(pos_, 0);
      return std::string::npos;
    }
    if (rest.substr(0, 3) == "-}}") return skip_space(src_, pos_ + 3);
    if (rest.substr(0, 2) == "}}") return pos_ + 2;
    return std::string::npos;
  }

  void lex_tag(TokenType end_type, size_t open_at) {
    std::string balance;  // expected closing brackets
    while (pos_ < src_.size()) {
      if (balance.empty()) {
        const size_t end = match_tag_end(end_type);
        if (end != std::string::npos) {
          emit(end_type, "", pos_);
          finish_rule(end);
          return;
        }
      }
      const size_t ws = skip_space(src_, pos_);
      if (ws != pos_) {
        finish_rule(ws);
        continue;
      }
      if (lex_number() || lex_name() || lex_string()) {
        line_starting_ = false;
        continue;
      }
      lex_operator(balance);
      line_starting_ = false;
    }
    (void)open_at;  // the parser reports the unterminated tag at end of input
  }

  bool lex_name() {
    if (!is_name_start(src_[pos_])) return false;
    size_t e = pos_ + 1;
    while (e < src_.size() && is_name_char(src_[e])) ++e;
    emit(TokenType::kName, src_.substr(pos_, e - pos_), pos_);
    pos_ = e;
    return true;
  }

  // Digits with single '_' separators: returns the end, or start if none.
  size_t scan_digits(size_t p, bool (*ok)(char)) const {
    size_t e = p;
    while (e < src_.size() && ok(src_[e])) {
      ++e;
      if (e + 1 < src_.size() && src_[e] == '_' && ok(src_[e + 1])) ++e;
    }
    return e;
  }

  bool lex_number();
  bool lex_string();
  void lex_operator(std::string& balance);
  void unescape_into(std::string_view body, size_t body_offset, std::string& out);

  std::string src_;
  LexerOptions opt_;
  std::vector<Token> out_;
  size_t pos_ = 0;
  bool line_starting_ = true;
  size_t cursor_ = 0;
  int line_ = 1;
  int col_ = 1;
};

bool is_dec(char c) { return is_ascii_digit(c); }
bool is_hex(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_bin(char c) { return c == '0' || c == '1'; }

std::string without_underscores(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out.push_back(c);
  }
  return out;
}

bool Lexer::lex_number() {
  if (!is_ascii_digit(src_[pos_])) return false;
  const size_t start = pos_;
  // Float first (as Jinja2), unless the number follows a '.' (x.0.1).
  if (start == 0 || src_[start - 1] != '.') {
    size_t e = scan_digits(start, is_dec);
    size_t frac_end = e;
    if (e + 1 < src_.size() && src_[e] == '.' && is_ascii_digit(src_[e + 1])) frac_end = scan_digits(e + 1, is_dec);
    size_t exp_end = frac_end;
    if (frac_end < src_.size() && (src_[frac_end] == 'e' || src_[frac_end] == 'E')) {
      size_t p = frac_end + 1;
      if (p < src_.size() && (src_[p] == '+' || src_[p] == '-')) ++p;
      if (p < src_.size() && is_ascii_digit(src_[p])) exp_end = scan_digits(p, is_dec);
    }
    if (exp_end != e) {
      const std::string text = without_underscores(std::string_view(src_).substr(start, exp_end - start));
      Token& t = emit(TokenType::kFloat, text, start);
      t.float_value = std::strtod(text.c_str(), nullptr);
      pos_ = exp_end;
      return true;
    }
  }
  int base = 10;
  size_t digits_at = start;
  bool (*ok)(char) = is_dec;
  if (src_[start] == '0' && start + 1 < src_.size()) {
    const char p = static_cast<char>(src_[start + 1] | 0x20);
    const size_t d = start + 2 + ((start + 2 < src_.size() && src_[start + 2] == '_') ? 1 : 0);
    bool (*fn)(char) = p == 'x' ? is_hex : p == 'o' ? is_oct : p == 'b' ? is_bin : nullptr;
    if (fn != nullptr && d < src_.size() && fn(src_[d])) {
      base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
      ok = fn;
      digits_at = d;
    }
  }
  size_t e = 0;
  if (base == 10 && src_[start] == '0') {
    e = start + 1;  // "0(_?0)*": a decimal zero, never "012"
    while (e < src_.size() && (src_[e] == '0' || (src_[e] == '_' && e + 1 < src_.size() && src_[e + 1] == '0'))) ++e;
  } else {
    e = scan_digits(digits_at, ok);
  }
  const std::string digits = without_underscores(std::string_view(src_).substr(digits_at, e - digits_at));
  Token& t = emit(TokenType::kInteger, src_.substr(start, e - start), start);
  const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), t.int_value, base);
  if (res.ec != std::errc()) fail("integer literal too large: " + t.value, start);
  pos_ = e;
  return true;
}

bool Lexer::lex_string() {
  const char quote = src_[pos_];
  if (quote != '\'' && quote != '"') return false;
  size_t i = pos_ + 1;
  while (i < src_.size() && src_[i] != quote) i += (src_[i] == '\\') ? 2 : 1;
  if (i >= src_.size()) fail("unterminated string literal", pos_);
  std::string value;
  unescape_into(std::string_view(src_).substr(pos_ + 1, i - pos_ - 1), pos_ + 1, value);
  emit(TokenType::kString, std::move(value), pos_);
  pos_ = i + 1;
  return true;
}

// Python's "unicode-escape" decoding of a string literal body.
void Lexer::unescape_into(std::string_view body, size_t body_offset, std::string& out) {
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out.push_back(body[i]);
      continue;
    }
    const size_t esc = i;  // errors point at the backslash
    const char c = body[++i];
    auto hex = [&](int n) -> char32_t {
      if (i + static_cast<size_t>(n) >= body.size()) {
        fail("truncated \\" + std::string(1, c) + " escape in string literal", body_offset + esc);
      }
      char32_t v = 0;
      for (int k = 1; k <= n; ++k) {
        const char h = body[i + k];
        if (!is_hex(h)) fail("truncated \\" + std::string(1, c) + " escape in string literal", body_offset + esc);
        v = v * 16 + static_cast<char32_t>(is_ascii_digit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      i += n;
      return v;
    };
    switch (c) {
      case '\n': break;
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x': unicode::append_utf8(out, hex(2)); break;
      case 'u': unicode::append_utf8(out, hex(4)); break;
      case 'U': {
        const char32_t cp = hex(8);
        if (cp > 0x10FFFF) fail("illegal Unicode character in string literal", body_offset + esc);
        unicode::append_utf8(out, cp);
        break;
      }
      case 'N': fail("\\N{...} escapes are not supported", body_offset + esc);
      default:
        if (is_oct(c)) {
          char32_t v = static_cast<char32_t>(c - '0');
          for (int k = 0; k < 2 && i + 1 < body.size() && is_oct(body[i + 1]); ++k) v = v * 8 + static_cast<char32_t>(body[++i] - '0');
          unicode::append_utf8(out, v);
        } else {
          out.push_back('\\');
          out.push_back(c);
        }
    }
  }
}

void Lexer::lex_operator(std::string& balance) {
  static constexpr const char* kTwo[] = {"//", "**", "==", "!=", ">=", "<="};
  for (const char* op : kTwo) {
    if (src_.compare(pos_, 2, op) == 0) {
      emit(TokenType::kOperator, op, pos_);
      pos_ += 2;
      return;
    }
  }
  const char c = src_[pos_];
  if (std::strchr("+-/*%~[](){}=.:|,;<>", c) == nullptr || c == 0) {
    size_t next = pos_;
    std::string ch;
    unicode::append_utf8(ch, unicode::decode_next(src_, next));
    fail("unexpected char '" + ch + "'", pos_);
  }
  if (c == '(' || c == '[' || c == '{') {
    balance.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
  } else if (c == ')' || c == ']' || c == '}') {
    if (balance.empty()) fail(std::string("unexpected '") + c + "'", pos_);
    if (balance.back() != c) fail(std::string("unexpected '") + c + "', expected '" + balance.back() + "'", pos_);
    balance.pop_back();
  }
  emit(TokenType::kOperator, std::string(1, c), pos_);
  ++pos_;
}

}  // namespace

std::vector<Token> tokenize_or_throw(std::string_view source, const LexerOptions& options) {
  Lexer lexer(source, options);
  return lexer.run();
}

}  // namespace hako::jinja
