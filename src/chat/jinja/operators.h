// Python's operators on jinja::Value as Jinja2 evaluates them: arithmetic
// (+ - * / // % **, with str/list concatenation and repetition, Markup
// escaping on +), unary minus/plus, `in`, subscripts and slices. Results that can grow (strings,
// lists) are charged to the interpreter's limits. Errors are TemplateError
// with Python's class and message (TypeError, ZeroDivisionError ...).
// Not here: comparisons (value_ops.h) and attribute lookup (interpreter).
#pragma once

#include <optional>

#include "chat/jinja/ast.h"
#include "chat/jinja/value.h"

namespace hako::jinja {

Value binary_op(Interpreter& in, ast::BinaryOp op, const Value& a, const Value& b);
Value unary_op(ast::UnaryOp op, const Value& v);
// Python `item in container`.
bool contains(Interpreter& in, const Value& container, const Value& item);

// Python obj[key] for builtin values; nullopt where Python raises TypeError,
// KeyError or IndexError (Jinja2 then tries an attribute, then gives
// undefined). Raises for undefined obj.
std::optional<Value> subscript(const Value& obj, const Value& key);
// obj[start:stop:step]; absent parts are none/undefined Values. nullopt if
// obj is not sliceable or an index is not an integer.
std::optional<Value> slice(const Value& obj, const Value& start, const Value& stop, const Value& step);
// The TypeError Python raises where slice() returned nullopt (Jinja2 does
// not route slices through the sandbox's getitem, so they do raise).
[[noreturn]] void raise_slice_error(const Value& obj, const Value& start, const Value& stop, const Value& step);

// int64 arithmetic that throws OverflowError instead of wrapping (Python
// ints are unbounded; hako's stop at 64 bits).
int64_t checked_add(int64_t a, int64_t b);
int64_t checked_mul(int64_t a, int64_t b);

}  // namespace hako::jinja
