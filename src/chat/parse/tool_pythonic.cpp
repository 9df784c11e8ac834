// Python-call tool-call bodies, "[f(a='x', b=1), g()]", as LFM2 writes them
// between <|tool_call_start|> and <|tool_call_end|> (and Llama 3 builtin
// tools after <|python_tag|>). Values are Python literals — strings in
// single or double quotes with backslash escapes, numbers, True/False/None,
// lists, tuples and dicts — and JSON's true/false/null (see tool_syntax.h).
#include <charconv>
#include <optional>

#include "chat/parse/cursor.h"
#include "chat/parse/tool_syntax.h"

namespace hako::chat {

using nlohmann::ordered_json;

namespace {

std::optional<ordered_json> parse_py_value(Cursor& c, int depth);

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// \xHH, \uXXXX, \UXXXXXXXX: `n` hex digits after the cursor.
bool read_hex(Cursor& c, int n, uint32_t* cp) {
  const std::string_view digits = c.rest().substr(0, size_t(n));
  if (digits.size() != size_t(n)) return false;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + n, *cp, 16);
  if (ec != std::errc() || ptr != digits.data() + n || *cp > 0x10FFFF) return false;
  if (*cp >= 0xD800 && *cp <= 0xDFFF) return false;  // a lone surrogate is not UTF-8
  c.i += size_t(n);
  return true;
}

// A quoted string; the cursor stands on the opening quote.
std::optional<std::string> parse_py_string(Cursor& c) {
  const char quote = c.peek();
  ++c.i;
  std::string out;
  while (!c.done()) {
    const char ch = c.s[c.i++];
    if (ch == quote) return out;
    if (ch != '\\') {
      out += ch;
      continue;
    }
    if (c.done()) return std::nullopt;
    const char e = c.s[c.i++];
    uint32_t cp = 0;
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case 'x':
        if (!read_hex(c, 2, &cp)) return std::nullopt;
        append_utf8(out, cp);
        break;
      case 'u':
        if (!read_hex(c, 4, &cp)) return std::nullopt;
        append_utf8(out, cp);
        break;
      case 'U':
        if (!read_hex(c, 8, &cp)) return std::nullopt;
        append_utf8(out, cp);
        break;
      case '\\': case '\'': case '"': out += e; break;
      default: out += '\\'; out += e; break;
    }
  }
  return std::nullopt;
}

// Items up to `close`; the opening bracket is consumed.
std::optional<ordered_json> parse_py_list(Cursor& c, char close, int depth) {
  ordered_json arr = ordered_json::array();
  const std::string_view close_s(&close, 1);
  c.skip_space();
  if (c.eat(close_s)) return arr;
  while (true) {
    c.skip_space();
    auto v = parse_py_value(c, depth + 1);
    if (!v) return std::nullopt;
    arr.push_back(std::move(*v));
    c.skip_space();
    if (c.eat(",")) {
      c.skip_space();
      if (c.eat(close_s)) return arr;  // trailing comma
      continue;
    }
    if (c.eat(close_s)) return arr;
    return std::nullopt;
  }
}

std::optional<ordered_json> parse_py_dict(Cursor& c, int depth) {
  ordered_json obj = ordered_json::object();
  c.skip_space();
  if (c.eat("}")) return obj;
  while (true) {
    c.skip_space();
    auto key = parse_py_value(c, depth + 1);
    if (!key || !key->is_string()) return std::nullopt;
    c.skip_space();
    if (!c.eat(":")) return std::nullopt;
    c.skip_space();
    auto v = parse_py_value(c, depth + 1);
    if (!v) return std::nullopt;
    obj[key->get<std::string>()] = std::move(*v);
    c.skip_space();
    if (c.eat("}")) return obj;
    if (!c.eat(",")) return std::nullopt;
  }
}

std::optional<ordered_json> parse_py_value(Cursor& c, int depth) {
  if (depth > kMaxValueDepth) return std::nullopt;
  const char ch = c.peek();
  if (ch == '"' || ch == '\'') {
    auto s = parse_py_string(c);
    if (!s) return std::nullopt;
    return ordered_json(std::move(*s));
  }
  if (c.eat("[")) return parse_py_list(c, ']', depth);
  if (c.eat("(")) return parse_py_list(c, ')', depth);
  if (c.eat("{")) return parse_py_dict(c, depth);
  const size_t start = c.i;
  while (!c.done() && (is_ident_char(c.peek()) || c.peek() == '.' || c.peek() == '-' ||
                       c.peek() == '+')) {
    ++c.i;
  }
  const std::string_view word = c.s.substr(start, c.i - start);
  if (word == "True" || word == "true") return ordered_json(true);
  if (word == "False" || word == "false") return ordered_json(false);
  if (word == "None" || word == "null") return ordered_json(nullptr);
  auto j = try_parse_json(word);
  if (!j || !j->is_number()) return std::nullopt;
  return j;
}

// name(arg=value, ...)
std::optional<ParsedCall> parse_py_call(Cursor& c) {
  const size_t start = c.i;
  if (!is_ident_start(c.peek())) return std::nullopt;
  while (!c.done() && (is_ident_char(c.peek()) || c.peek() == '.' || c.peek() == '-')) ++c.i;
  ParsedCall call{std::string(c.s.substr(start, c.i - start)), ordered_json::object()};
  c.skip_space();
  if (!c.eat("(")) return std::nullopt;
  c.skip_space();
  if (c.eat(")")) return call;
  while (true) {
    c.skip_space();
    const size_t name_start = c.i;
    while (!c.done() && is_ident_char(c.peek())) ++c.i;
    const std::string_view arg = c.s.substr(name_start, c.i - name_start);
    c.skip_space();
    if (arg.empty() || !c.eat("=")) return std::nullopt;
    c.skip_space();
    auto v = parse_py_value(c, 1);
    if (!v) return std::nullopt;
    call.arguments[std::string(arg)] = std::move(*v);
    c.skip_space();
    if (c.eat(")")) return call;
    if (!c.eat(",")) return std::nullopt;
    c.skip_space();
    if (c.eat(")")) return call;  // trailing comma
  }
}

}  // namespace

std::optional<ParsedCalls> parse_pythonic_block(std::string_view body) {
  Cursor c{trim_space(body)};
  const bool bracketed = c.eat("[");
  ParsedCalls calls;
  while (true) {
    c.skip_space();
    if (bracketed && c.eat("]")) break;
    if (!bracketed && c.done()) break;
    auto call = parse_py_call(c);
    if (!call) return std::nullopt;
    calls.push_back(std::move(*call));
    c.skip_space();
    if (c.eat(",")) continue;
    if (bracketed && c.eat("]")) break;
    if (!bracketed && c.done()) break;
    return std::nullopt;
  }
  c.skip_space();
  if (!c.done() || calls.empty()) return std::nullopt;
  return calls;
}

}  // namespace hako::chat
