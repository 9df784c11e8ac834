// Internal helpers shared by the builtin filter/test/method/global files:
// the per-file registration tables, Python-style argument binding for
// builtins (positional or keyword, with Python's TypeError messages), lazy
// one-shot iterators (Jinja2's generator filters) and attribute paths
// ("a.b.0") as filters such as map/selectattr/sort resolve them.
// Not part of the engine's interface.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chat/jinja/builtins.h"
#include "chat/jinja/interpreter.h"
#include "chat/jinja/value.h"

namespace hako::jinja::detail {

struct FilterEntry {
  std::string_view name;
  FilterFn fn;
};
struct TestEntry {
  std::string_view name;
  TestFn fn;
};

std::span<const FilterEntry> text_filters();      // filters_text.cpp
std::span<const FilterEntry> sequence_filters();  // filters_seq.cpp
std::span<const FilterEntry> json_filters();      // json_convert.cpp
std::span<const TestEntry> test_table();          // tests.cpp

// Binds a builtin's arguments like a Python signature with the given
// parameter names (all positional-or-keyword). Throws TypeError for too
// many arguments, unknown or duplicate keywords.
class ArgBinder {
 public:
  ArgBinder(std::string_view fn_name, const CallArgs& args, std::initializer_list<std::string_view> params);
  // The argument for parameter i, or nullptr if not passed.
  const Value* get(size_t i) const { return slots_[i]; }
  Value get_or(size_t i, Value fallback) const { return slots_[i] ? *slots_[i] : std::move(fallback); }
  bool flag(size_t i, bool fallback) const;
  // The parameter as an int (bool/int, or float truncated); TypeError otherwise.
  int64_t int_or(size_t i, int64_t fallback) const;
  // The parameter as a string; TypeError otherwise.
  std::string string_or(size_t i, std::string fallback) const;

 private:
  std::string fn_name_;
  std::vector<std::string_view> names_;
  std::vector<const Value*> slots_;
};

// A lazy one-shot iterator over `source` (the value it wraps, or undefined);
// `next` returns nullopt when exhausted. Iterators wrapping iterators more
// than kMaxGeneratorNesting deep throw LimitError (iterating or freeing such
// a chain would recurse once per level; Python stops at its recursion limit).
inline constexpr int kMaxGeneratorNesting = 256;
Value make_generator(const Value& source, std::function<std::optional<Value>(Interpreter&)> next,
                     std::string_view type_name = "generator");

// Jinja2's make_attrgetter: "a.b.0" looks up a, then b, then index 0 with
// the interpreter's getitem. An int attribute is one index. When
// `default_value` is given, undefined parts become it.
Value get_attribute_path(Interpreter& in, Value item, const Value& attribute, const Value* default_value = nullptr);

// Python str(x), keeping Markup-ness (markupsafe's soft_str).
inline Markup markup_of(const Value& v) { return v.is_markup() ? Markup::kYes : Markup::kNo; }

// Lower-cases strings for case-insensitive sorting/unique (ignore_case).
Value ignore_case(const Value& v);

}  // namespace hako::jinja::detail
