// The Jinja2 lexer: turns template source into a flat token list exactly as
// Jinja2 3.1's regex lexer does, including its whitespace rules: newlines
// normalised to "\n", one trailing newline dropped, `{%-`/`-%}` stripping,
// trim_blocks (the newline after a block or comment tag is dropped) and
// lstrip_blocks (spaces and tabs before a block or comment tag on its own
// line are dropped), `+` to opt out, `{% raw %}` sections and comments.
// String literals are unescaped here (Python escapes). Errors are
// TemplateSyntaxError with line:col.
// Not here: grammar (parser.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/jinja/jinja_error.h"

namespace hako::jinja {

enum class TokenType : uint8_t {
  kData,           // literal template text (value = the text)
  kVariableBegin,  // {{
  kVariableEnd,    // }}
  kBlockBegin,     // {%
  kBlockEnd,       // %}
  kName,           // identifier, including keywords such as `if`, `and`, `true`
  kString,         // value = unescaped contents
  kInteger,        // int_value
  kFloat,          // float_value
  kOperator,       // value = the operator text ("+", "//", "(", ...)
  kEof,
};

struct Token {
  TokenType type = TokenType::kEof;
  std::string value;
  int64_t int_value = 0;
  double float_value = 0.0;
  SourcePos pos;
};

struct LexerOptions {
  bool trim_blocks = true;
  bool lstrip_blocks = true;
};

// The token list, always ending with kEof. Throws TemplateError
// (kTemplateSyntaxError) for unterminated tags/comments/strings, unbalanced
// brackets inside a tag, and characters that start no token.
std::vector<Token> tokenize_or_throw(std::string_view source, const LexerOptions& options);

}  // namespace hako::jinja
