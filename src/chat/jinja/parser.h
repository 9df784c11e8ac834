// The Jinja2 parser: token list (lexer.h) -> syntax tree (ast.h), following
// jinja2/parser.py: the same statements (if/elif/else, for with else, filter
// and recursive, set and block set, macro, call, filter, with, print,
// break/continue, generation), the same operator precedence and the same
// rules for tuples, subscripts, slices, call arguments and tests. Unknown
// filters/tests are syntax errors except inside an if or a conditional
// expression, where Jinja2 defers the error to render time.
// Errors: TemplateError(kTemplateSyntaxError) with line:col and the reason.
// Nesting deeper than kMaxParseDepth is rejected so that hostile input
// cannot overflow the stack. Not here: evaluation.
#pragma once

#include <memory>
#include <string_view>

#include "chat/jinja/ast.h"
#include "chat/jinja/lexer.h"

namespace hako::jinja {

inline constexpr int kMaxParseDepth = 200;

std::unique_ptr<ast::Program> parse_or_throw(std::string_view source, const LexerOptions& options);

}  // namespace hako::jinja
