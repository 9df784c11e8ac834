// The tests of `x is name(args)`, as jinja2/tests.py defines them (and the
// operator aliases ==, eq, equalto, ...). Python's notion of types applies:
// bool is a number, a dict is a sequence, undefined is iterable.
#include "chat/jinja/builtins_impl.h"
#include "chat/jinja/operators.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja::detail {
namespace {

const Value& one_arg(std::string_view name, const CallArgs& a) {
  if (a.args.size() != 1 || !a.kwargs.empty()) {
    throw_type_error("test '" + std::string(name) + "' takes exactly one argument");
  }
  return a.args[0];
}

void no_args(std::string_view name, const CallArgs& a) {
  if (!a.args.empty() || !a.kwargs.empty()) throw_type_error("test '" + std::string(name) + "' takes no arguments");
}

bool test_defined(Interpreter&, const Value& v, CallArgs& a) { no_args("defined", a); return !v.is_undefined(); }
bool test_undefined(Interpreter&, const Value& v, CallArgs& a) { no_args("undefined", a); return v.is_undefined(); }
bool test_none(Interpreter&, const Value& v, CallArgs& a) { no_args("none", a); return v.is_none(); }
bool test_boolean(Interpreter&, const Value& v, CallArgs& a) { no_args("boolean", a); return v.is_bool(); }
bool test_false(Interpreter&, const Value& v, CallArgs& a) { no_args("false", a); return v.is_bool() && !v.as_bool(); }
bool test_true(Interpreter&, const Value& v, CallArgs& a) { no_args("true", a); return v.is_bool() && v.as_bool(); }
bool test_integer(Interpreter&, const Value& v, CallArgs& a) { no_args("integer", a); return v.is_int(); }
bool test_float(Interpreter&, const Value& v, CallArgs& a) { no_args("float", a); return v.is_float(); }
bool test_number(Interpreter&, const Value& v, CallArgs& a) { no_args("number", a); return v.is_number(); }
bool test_string(Interpreter&, const Value& v, CallArgs& a) { no_args("string", a); return v.is_string(); }
bool test_mapping(Interpreter&, const Value& v, CallArgs& a) { no_args("mapping", a); return v.is_dict(); }
bool test_callable(Interpreter&, const Value& v, CallArgs& a) {
  no_args("callable", a);
  // Jinja2's Undefined defines __call__ (it raises), so callable() is true.
  return v.is_callable() || v.is_undefined() || (v.is_object() && v.object_ref().is_callable());
}
bool test_escaped(Interpreter&, const Value& v, CallArgs& a) { no_args("escaped", a); return v.is_markup(); }

bool test_sequence(Interpreter&, const Value& v, CallArgs& a) {
  no_args("sequence", a);
  return v.is_string() || v.is_list_or_tuple() || v.is_dict() || v.is_undefined();
}

bool test_iterable(Interpreter&, const Value& v, CallArgs& a) {
  no_args("iterable", a);
  return v.is_string() || v.is_list_or_tuple() || v.is_dict() || v.is_undefined() || v.is_iterator();
}

enum class CaseKind : uint8_t { kUpper, kLower };

bool case_test(const Value& v, CaseKind kind) {
  const bool upper = kind == CaseKind::kUpper;
  const std::string s = to_str(v);
  bool cased = false;
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = unicode::decode_next(s, i);
    if (unicode::is_upper(cp)) {
      if (!upper) return false;
      cased = true;
    } else if (unicode::is_lower(cp)) {
      if (upper) return false;
      cased = true;
    }
  }
  return cased;
}

bool test_lower(Interpreter&, const Value& v, CallArgs& a) { no_args("lower", a); return case_test(v, CaseKind::kLower); }
bool test_upper(Interpreter&, const Value& v, CallArgs& a) { no_args("upper", a); return case_test(v, CaseKind::kUpper); }

// odd/even/divisibleby are `value % n == r` in Python, so floats work too
// (2.5 is not odd) and strings raise TypeError from %-formatting.
bool mod_equals(Interpreter& in, const Value& v, const Value& n, int64_t r) {
  return equals(binary_op(in, ast::BinaryOp::kMod, v, n), Value::integer(r));
}

bool test_odd(Interpreter& in, const Value& v, CallArgs& a) {
  no_args("odd", a);
  return mod_equals(in, v, Value::integer(2), 1);
}

bool test_even(Interpreter& in, const Value& v, CallArgs& a) {
  no_args("even", a);
  return mod_equals(in, v, Value::integer(2), 0);
}

bool test_divisibleby(Interpreter& in, const Value& v, CallArgs& a) {
  return mod_equals(in, v, one_arg("divisibleby", a), 0);
}

bool test_sameas(Interpreter&, const Value& v, CallArgs& a) {
  const Value& other = one_arg("sameas", a);
  if (v.kind() != other.kind()) return false;
  switch (v.kind()) {
    case ValueKind::kNone: case ValueKind::kUndefined: return true;
    case ValueKind::kBool: return v.as_bool() == other.as_bool();
    case ValueKind::kInt: return v.as_int() == other.as_int();
    case ValueKind::kFloat: return v.as_double() == other.as_double();
    default: return v.identity() == other.identity();
  }
}

bool test_in(Interpreter& in, const Value& v, CallArgs& a) { return contains(in, one_arg("in", a), v); }
bool test_eq(Interpreter&, const Value& v, CallArgs& a) { return equals(v, one_arg("eq", a)); }
bool test_ne(Interpreter&, const Value& v, CallArgs& a) { return !equals(v, one_arg("ne", a)); }
bool test_lt(Interpreter&, const Value& v, CallArgs& a) { return compare(v, one_arg("lt", a), "<") < 0; }
bool test_le(Interpreter&, const Value& v, CallArgs& a) { return compare(v, one_arg("le", a), "<=") <= 0; }
bool test_gt(Interpreter&, const Value& v, CallArgs& a) { return compare(v, one_arg("gt", a), ">") > 0; }
bool test_ge(Interpreter&, const Value& v, CallArgs& a) { return compare(v, one_arg("ge", a), ">=") >= 0; }

bool test_filter(Interpreter&, const Value& v, CallArgs& a) {
  no_args("filter", a);
  return v.is_string() && find_filter(v.as_string()) != nullptr;
}

bool test_test(Interpreter&, const Value& v, CallArgs& a) {
  no_args("test", a);
  return v.is_string() && find_test(v.as_string()) != nullptr;
}

constexpr TestEntry kTests[] = {
    {"defined", test_defined},   {"undefined", test_undefined}, {"none", test_none},
    {"boolean", test_boolean},   {"false", test_false},         {"true", test_true},
    {"integer", test_integer},   {"float", test_float},         {"number", test_number},
    {"string", test_string},     {"mapping", test_mapping},     {"sequence", test_sequence},
    {"iterable", test_iterable}, {"callable", test_callable},   {"escaped", test_escaped},
    {"lower", test_lower},       {"upper", test_upper},         {"odd", test_odd},
    {"even", test_even},         {"divisibleby", test_divisibleby}, {"sameas", test_sameas},
    {"in", test_in},             {"==", test_eq},               {"eq", test_eq},
    {"equalto", test_eq},        {"!=", test_ne},               {"ne", test_ne},
    {"<", test_lt},              {"lt", test_lt},               {"lessthan", test_lt},
    {"<=", test_le},             {"le", test_le},               {">", test_gt},
    {"gt", test_gt},             {"greaterthan", test_gt},      {">=", test_ge},
    {"ge", test_ge},             {"filter", test_filter},       {"test", test_test},
};

}  // namespace

std::span<const TestEntry> test_table() { return kTests; }

}  // namespace hako::jinja::detail
