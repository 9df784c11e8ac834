// The Gemma 4 tool-call body "call:NAME{key:value,...}" (see tool_syntax.h).
// The Gemma 4 templates render arguments with their format_argument macro:
// strings between <|"|> quotes, booleans as true/false, numbers as written,
// mappings as {key:value,...} with bare keys, sequences as [a,b]. This file
// reads that back into JSON; it also accepts JSON strings and quoted keys,
// null/None, and a JSON object inside the braces (what the template writes
// when the arguments arrive as a JSON string).
#include <optional>

#include "chat/parse/cursor.h"
#include "chat/parse/tool_syntax.h"

namespace hako::chat {

using nlohmann::ordered_json;

namespace {

constexpr std::string_view kQuote = "<|\"|>";

std::optional<ordered_json> parse_value(Cursor& c, int depth);

// A JSON string literal starting at the cursor ('"').
std::optional<ordered_json> parse_json_string(Cursor& c) {
  const std::string_view rest = c.rest();
  for (size_t i = 1; i < rest.size(); ++i) {
    if (rest[i] == '\\') {
      ++i;
    } else if (rest[i] == '"') {
      auto j = try_parse_json(rest.substr(0, i + 1));
      if (!j) return std::nullopt;
      c.i += i + 1;
      return j;
    }
  }
  return std::nullopt;
}

std::optional<std::string> parse_key(Cursor& c) {
  if (c.eat(kQuote)) {
    std::string_view key;
    if (!c.take_until(kQuote, &key)) return std::nullopt;
    return std::string(key);
  }
  if (c.peek() == '"') {
    auto j = parse_json_string(c);
    if (!j) return std::nullopt;
    return j->get<std::string>();
  }
  const size_t start = c.i;
  while (!c.done() && c.peek() != ':' && c.peek() != '}' && c.peek() != ',') ++c.i;
  const std::string_view key = trim_space(c.s.substr(start, c.i - start));
  if (key.empty()) return std::nullopt;
  return std::string(key);
}

// '{' already consumed.
std::optional<ordered_json> parse_mapping(Cursor& c, int depth) {
  ordered_json obj = ordered_json::object();
  c.skip_space();
  if (c.eat("}")) return obj;
  while (true) {
    c.skip_space();
    auto key = parse_key(c);
    if (!key) return std::nullopt;
    c.skip_space();
    if (!c.eat(":")) return std::nullopt;
    c.skip_space();
    auto value = parse_value(c, depth + 1);
    if (!value) return std::nullopt;
    obj[*key] = std::move(*value);
    c.skip_space();
    if (c.eat("}")) return obj;
    if (!c.eat(",")) return std::nullopt;
  }
}

// '[' already consumed.
std::optional<ordered_json> parse_sequence(Cursor& c, int depth) {
  ordered_json arr = ordered_json::array();
  c.skip_space();
  if (c.eat("]")) return arr;
  while (true) {
    c.skip_space();
    auto value = parse_value(c, depth + 1);
    if (!value) return std::nullopt;
    arr.push_back(std::move(*value));
    c.skip_space();
    if (c.eat("]")) return arr;
    if (!c.eat(",")) return std::nullopt;
  }
}

std::optional<ordered_json> parse_scalar(Cursor& c) {
  const size_t start = c.i;
  while (!c.done() && c.peek() != ',' && c.peek() != '}' && c.peek() != ']') ++c.i;
  const std::string_view word = trim_space(c.s.substr(start, c.i - start));
  if (word == "None") return ordered_json(nullptr);
  if (word == "True") return ordered_json(true);
  if (word == "False") return ordered_json(false);
  auto j = try_parse_json(word);
  if (!j || j->is_structured() || j->is_string()) return std::nullopt;
  return j;
}

std::optional<ordered_json> parse_value(Cursor& c, int depth) {
  if (depth > kMaxValueDepth) return std::nullopt;
  if (c.eat(kQuote)) {
    std::string_view text;
    if (!c.take_until(kQuote, &text)) return std::nullopt;
    return ordered_json(std::string(text));
  }
  if (c.peek() == '"') return parse_json_string(c);
  if (c.eat("{")) return parse_mapping(c, depth);
  if (c.eat("[")) return parse_sequence(c, depth);
  return parse_scalar(c);
}

}  // namespace

std::optional<ParsedCalls> parse_gemma4_block(std::string_view body) {
  Cursor c{trim_space(body)};
  if (!c.eat("call:")) return std::nullopt;
  const size_t brace = c.s.find('{', c.i);
  if (brace == std::string_view::npos) return std::nullopt;
  const std::string_view name = trim_space(c.s.substr(c.i, brace - c.i));
  if (name.empty()) return std::nullopt;
  c.i = brace + 1;
  c.skip_space();
  std::optional<ordered_json> args;
  if (c.peek() == '{') {
    // call:f{{"a": 1}}: a JSON object written inside the braces.
    const size_t n = json_container_extent(c.rest());
    if (n == 0) return std::nullopt;
    args = try_parse_json(c.rest().substr(0, n));
    c.i += n;
    c.skip_space();
    if (!args || !args->is_object() || !c.eat("}")) return std::nullopt;
  } else {
    args = parse_mapping(c, 0);
    if (!args) return std::nullopt;
  }
  c.skip_space();
  if (!c.done()) return std::nullopt;
  return ParsedCalls{ParsedCall{std::string(name), std::move(*args)}};
}

}  // namespace hako::chat
