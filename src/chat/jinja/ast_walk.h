// Internal: visits every expression of a syntax tree with a flag telling
// whether it sits in a "soft frame" (an if statement or conditional
// expression of the current frame, where Jinja2 defers unknown-filter
// errors to render time). Used by the parser's compile-time checks.
#pragma once

#include <functional>

#include "chat/jinja/ast.h"

namespace hako::jinja::detail {

using ExprVisit = std::function<void(const ast::Expr&, bool soft)>;

// e may be null (then nothing is visited).
void walk_expr(const ast::Expr* e, bool soft, const ExprVisit& visit);
void walk_body(const ast::Body& body, bool soft, const ExprVisit& visit);

}  // namespace hako::jinja::detail
