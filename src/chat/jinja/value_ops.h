// Python semantics of jinja::Value as Jinja2 exposes them: type names, str(),
// repr(), truthiness, ==, ordering, hashability, HTML escaping and the
// UndefinedError messages Jinja2 produces ("'dict object' has no attribute
// 'x'"). Everything here is a pure function of its arguments; errors are
// TemplateError with the Python exception class (TypeError ...).
// Not here: arithmetic (operators.h), JSON (json_convert.h), filters.
#pragma once

#include <string>
#include <string_view>

#include "chat/jinja/value.h"

namespace hako::jinja {

// Python type name: "str", "int", "float", "bool", "NoneType", "list",
// "tuple", "dict", "Namespace", "Undefined", "generator", ...
std::string_view type_name(const Value& v);
// Jinja2's object_type_repr: "None", or "<type> object" ("dict object").
std::string object_type_repr(const Value& v);

bool truthy(const Value& v);
// Python ==. Numbers compare by value across int/float/bool.
bool equals(const Value& a, const Value& b);
// Python ordering for <, <=, >, >= and sorting: negative, zero or positive.
// Throws TypeError "'<' not supported between instances of 'str' and 'int'"
// (op names the operator in the message).
int compare(const Value& a, const Value& b, std::string_view op = "<");

// Python str(): what {{ v }} prints. Undefined prints "".
std::string to_str(const Value& v);
// Python repr(): strings quoted and escaped as Python does.
std::string repr(const Value& v);
std::string float_repr(double d);
std::string string_repr(std::string_view s);

// Throws TypeError "unhashable type: 'list'" for list, dict, namespace.
void require_hashable(const Value& key);

// Undefined values as Jinja2 names them.
Value undefined_name(std::string_view name);                       // "'x' is undefined"
Value undefined_attr(const Value& obj, std::string_view attr);     // "'str object' has no attribute 'x'"
Value undefined_item(const Value& obj, const Value& key);          // "list object has no element 5"
// Throws the error an undefined value raises when used (UndefinedError,
// or SecurityError for sandbox-blocked attributes).
[[noreturn]] void raise_undefined(const Value& v);

// Markup escaping: & < > " ' to entities (markupsafe.escape).
std::string html_escape(std::string_view s);

}  // namespace hako::jinja
