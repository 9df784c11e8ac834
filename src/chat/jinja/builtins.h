// The built-in library of the template language, as the parser and the
// interpreter look it up: filters (`x|trim`), tests (`x is string`), global
// functions (range, namespace, dict, cycler, joiner, raise_exception,
// strftime_now) and the methods of builtin types (`s.strip()`,
// `d.items()`). The implementations live in filters_*.cpp, tests.cpp,
// globals.cpp and methods.cpp; each mirrors Jinja2 3.1 / Python 3.11.
// Not here: operators (operators.h) and JSON (json_convert.h).
#pragma once

#include <optional>
#include <string_view>

#include "chat/jinja/value.h"

namespace hako::jinja {

class Interpreter;

// A filter: input|name(args...). Throws TemplateError on bad arguments.
using FilterFn = Value (*)(Interpreter& in, const Value& input, CallArgs& args);
// A test: input is name(args...).
using TestFn = bool (*)(Interpreter& in, const Value& input, CallArgs& args);

// nullptr if there is no such filter / test.
FilterFn find_filter(std::string_view name);
TestFn find_test(std::string_view name);

// The global functions every template sees (range, namespace, dict, cycler,
// joiner, raise_exception, strftime_now), added to `globals`.
void add_global_functions(DictData& globals);

// obj.name for builtin types: the bound method (str, list, dict methods) or
// data attribute, or nullopt if the type has no such attribute. Mutating
// list/dict methods are returned as an undefined value raising SecurityError
// when the interpreter runs in the immutable sandbox, like Jinja2's
// ImmutableSandboxedEnvironment.
std::optional<Value> builtin_attribute(Interpreter& in, const Value& obj, std::string_view name);

}  // namespace hako::jinja
