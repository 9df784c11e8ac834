// Python operators on jinja::Value (see operators.h).
#include "chat/jinja/operators.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "chat/jinja/interpreter.h"
#include "chat/jinja/py_format.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {
namespace {

[[noreturn]] void unsupported(std::string_view op, const Value& a, const Value& b) {
  throw_type_error("unsupported operand type(s) for " + std::string(op) + ": '" + std::string(type_name(a)) +
                   "' and '" + std::string(type_name(b)) + "'");
}

[[noreturn]] void overflow() { throw_error(ErrorClass::kOverflowError, "integer result does not fit in 64 bits"); }

Value add(Interpreter& in, const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return Value::floating(a.as_double() + b.as_double());
    return Value::integer(checked_add(a.as_int(), b.as_int()));
  }
  if (a.is_string() && b.is_string()) {
    in.charge_bytes(a.as_string().size() + b.as_string().size());
    if (a.is_markup() || b.is_markup()) {
      // Markup + str escapes the plain side (markupsafe).
      const std::string lhs = a.is_markup() ? a.as_string() : html_escape(a.as_string());
      const std::string rhs = b.is_markup() ? b.as_string() : html_escape(b.as_string());
      return Value::string(lhs + rhs, Markup::kYes);
    }
    return Value::string(a.as_string() + b.as_string());
  }
  if (a.kind() == b.kind() && a.is_list_or_tuple()) {
    const auto& x = a.list_data().items;
    const auto& y = b.list_data().items;
    in.charge_bytes((x.size() + y.size()) * sizeof(Value));
    std::vector<Value> items;
    items.reserve(x.size() + y.size());
    items.insert(items.end(), x.begin(), x.end());
    items.insert(items.end(), y.begin(), y.end());
    return a.is_tuple() ? Value::tuple(std::move(items)) : Value::list(std::move(items));
  }
  if (a.is_string() && !a.is_markup()) {
    throw_type_error("can only concatenate str (not \"" + std::string(type_name(b)) + "\") to str");
  }
  if (a.is_list_or_tuple()) {
    const std::string t(type_name(a));
    throw_type_error("can only concatenate " + t + " (not \"" + std::string(type_name(b)) + "\") to " + t);
  }
  unsupported("+", a, b);
}

// seq * n for str, list, tuple.
Value repeat(Interpreter& in, const Value& seq, int64_t n) {
  if (n < 0) n = 0;
  const auto count = static_cast<size_t>(n);
  if (seq.is_string()) {
    const std::string& s = seq.as_string();
    if (!s.empty() && count > (size_t{1} << 40) / s.size()) in.charge_bytes(SIZE_MAX);
    in.charge_bytes(s.size() * count);
    std::string out;
    out.reserve(s.size() * count);
    for (size_t i = 0; i < count; ++i) out += s;
    return Value::string(std::move(out), seq.is_markup() ? Markup::kYes : Markup::kNo);
  }
  const auto& items = seq.list_data().items;
  if (!items.empty() && count > (size_t{1} << 40) / items.size()) in.charge_bytes(SIZE_MAX);
  in.charge_bytes(items.size() * count * sizeof(Value));
  std::vector<Value> out;
  out.reserve(items.size() * count);
  for (size_t i = 0; i < count; ++i) out.insert(out.end(), items.begin(), items.end());
  return seq.is_tuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
}

Value mul(Interpreter& in, const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return Value::floating(a.as_double() * b.as_double());
    return Value::integer(checked_mul(a.as_int(), b.as_int()));
  }
  const bool a_seq = a.is_string() || a.is_list_or_tuple();
  const bool b_seq = b.is_string() || b.is_list_or_tuple();
  if (a_seq && (b.is_int() || b.is_bool())) return repeat(in, a, b.as_int());
  if (b_seq && (a.is_int() || a.is_bool())) return repeat(in, b, a.as_int());
  if (a_seq && b.is_number()) {
    throw_type_error("can't multiply sequence by non-int of type '" + std::string(type_name(b)) + "'");
  }
  unsupported("*", a, b);
}

Value divide(ast::BinaryOp op, const Value& a, const Value& b) {
  const char* sym = op == ast::BinaryOp::kDiv ? "/" : op == ast::BinaryOp::kFloorDiv ? "//" : "%";
  if (!a.is_number() || !b.is_number()) unsupported(sym, a, b);
  const bool ints = !a.is_float() && !b.is_float();
  if (ints ? b.as_int() == 0 : b.as_double() == 0.0) {
    throw_error(ErrorClass::kZeroDivisionError,
                op == ast::BinaryOp::kDiv ? "division by zero"
                : ints                    ? "integer division or modulo by zero"
                : op == ast::BinaryOp::kMod ? "float modulo"
                                            : "float floor division by zero");
  }
  if (op == ast::BinaryOp::kDiv) return Value::floating(a.as_double() / b.as_double());
  if (ints) {
    const int64_t x = a.as_int(), y = b.as_int();
    if (x == std::numeric_limits<int64_t>::min() && y == -1) overflow();
    int64_t q = x / y, r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) {
      --q;
      r += y;
    }
    return Value::integer(op == ast::BinaryOp::kFloorDiv ? q : r);
  }
  // CPython's float divmod.
  const double x = a.as_double(), y = b.as_double();
  double mod = std::fmod(x, y);
  double div = (x - mod) / y;
  if (mod != 0.0) {
    if ((y < 0) != (mod < 0)) {
      mod += y;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, y);
  }
  if (op == ast::BinaryOp::kMod) return Value::floating(mod);
  double floordiv;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, x / y);
  }
  return Value::floating(floordiv);
}

Value power(const Value& a, const Value& b) {
  if (!a.is_number() || !b.is_number()) unsupported("** or pow()", a, b);
  if (!a.is_float() && !b.is_float() && b.as_int() >= 0) {
    int64_t base = a.as_int(), exp = b.as_int(), result = 1;
    while (exp > 0) {
      if (exp & 1) result = checked_mul(result, base);
      exp >>= 1;
      if (exp > 0) base = checked_mul(base, base);
    }
    return Value::integer(result);
  }
  const double x = a.as_double(), y = b.as_double();
  if (x == 0.0 && y < 0) throw_error(ErrorClass::kZeroDivisionError, "0.0 cannot be raised to a negative power");
  return Value::floating(std::pow(x, y));
}

}  // namespace

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow();
  return r;
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) overflow();
  return r;
}

Value binary_op(Interpreter& in, ast::BinaryOp op, const Value& a, const Value& b) {
  if (a.is_undefined()) raise_undefined(a);
  // str % undefined formats (Undefined looks like a mapping to Python).
  if (b.is_undefined() && !(op == ast::BinaryOp::kMod && a.is_string())) raise_undefined(b);
  switch (op) {
    case ast::BinaryOp::kAdd: return add(in, a, b);
    case ast::BinaryOp::kSub:
      if (!a.is_number() || !b.is_number()) unsupported("-", a, b);
      if (a.is_float() || b.is_float()) return Value::floating(a.as_double() - b.as_double());
      {
        int64_t r;
        if (__builtin_sub_overflow(a.as_int(), b.as_int(), &r)) overflow();
        return Value::integer(r);
      }
    case ast::BinaryOp::kMul: return mul(in, a, b);
    case ast::BinaryOp::kMod:
      if (a.is_string()) {
        std::string s = percent_format(a.as_string(), b);
        in.charge_bytes(s.size());
        return Value::string(std::move(s), a.is_markup() ? Markup::kYes : Markup::kNo);
      }
      return divide(op, a, b);
    case ast::BinaryOp::kDiv: case ast::BinaryOp::kFloorDiv: return divide(op, a, b);
    case ast::BinaryOp::kPow: return power(a, b);
  }
  return Value();
}

Value unary_op(ast::UnaryOp op, const Value& v) {
  if (op == ast::UnaryOp::kNot) return Value::boolean(!truthy(v));
  if (v.is_undefined()) raise_undefined(v);
  if (!v.is_number()) {
    throw_type_error(std::string("bad operand type for unary ") + (op == ast::UnaryOp::kNeg ? "-" : "+") + ": '" +
                     std::string(type_name(v)) + "'");
  }
  if (v.is_float()) return Value::floating(op == ast::UnaryOp::kNeg ? -v.as_double() : v.as_double());
  if (op == ast::UnaryOp::kPos) return Value::integer(v.as_int());
  if (v.as_int() == std::numeric_limits<int64_t>::min()) overflow();
  return Value::integer(-v.as_int());
}

bool contains(Interpreter& in, const Value& container, const Value& item) {
  switch (container.kind()) {
    case ValueKind::kString:
      if (!item.is_string()) {
        throw_type_error("'in <string>' requires string as left operand, not " + std::string(type_name(item)));
      }
      return unicode::find_bytes(container.as_string(), item.as_string()) != std::string_view::npos;
    case ValueKind::kList: case ValueKind::kTuple:
      for (const Value& v : container.list_data().items) {
        if (equals(v, item)) return true;
      }
      return false;
    case ValueKind::kDict:
      require_hashable(item);
      return container.dict_data().find(item) != nullptr;
    case ValueKind::kUndefined: return false;
    case ValueKind::kIterator:
      while (auto v = container.iterator_ref().next(in)) {
        if (equals(*v, item)) return true;
      }
      return false;
    default:
      throw_type_error("argument of type '" + std::string(type_name(container)) + "' is not iterable");
  }
}

namespace {

// Python's PySlice_AdjustIndices; returns the selected indices.
std::optional<std::vector<size_t>> slice_indices(size_t length, const Value& start_v, const Value& stop_v,
                                                 const Value& step_v) {
  auto as_index = [](const Value& v, std::optional<int64_t>& out) {
    if (v.is_none() || v.is_undefined()) return true;
    if (!v.is_int() && !v.is_bool()) return false;
    out = v.as_int();
    return true;
  };
  std::optional<int64_t> start, stop, step;
  if (!as_index(start_v, start) || !as_index(stop_v, stop) || !as_index(step_v, step)) return std::nullopt;
  const int64_t st = step.value_or(1);
  if (st == 0) throw_error(ErrorClass::kValueError, "slice step cannot be zero");
  const auto len = static_cast<int64_t>(length);
  auto adjust = [&](std::optional<int64_t> v, int64_t if_none) -> int64_t {
    if (!v) return if_none;
    int64_t x = *v;
    if (x < 0) {
      x += len;
      if (x < 0) x = st < 0 ? -1 : 0;
    } else if (x >= len) {
      x = st < 0 ? len - 1 : len;
    }
    return x;
  };
  const int64_t b = adjust(start, st < 0 ? len - 1 : 0);
  const int64_t e = adjust(stop, st < 0 ? -1 : len);
  std::vector<size_t> out;
  if (st > 0) {
    for (int64_t i = b; i < e; i += st) out.push_back(static_cast<size_t>(i));
  } else {
    for (int64_t i = b; i > e; i += st) out.push_back(static_cast<size_t>(i));
  }
  return out;
}

}  // namespace

std::optional<Value> slice(const Value& obj, const Value& start, const Value& stop, const Value& step) {
  if (obj.is_string()) {
    const std::string& s = obj.as_string();
    const bool ascii = unicode::is_ascii(s);
    std::vector<char32_t> cps;
    if (!ascii) cps = unicode::decode_all(s);
    auto idx = slice_indices(ascii ? s.size() : cps.size(), start, stop, step);
    if (!idx) return std::nullopt;
    std::string out;
    for (size_t i : *idx) {
      if (ascii) {
        out.push_back(s[i]);
      } else {
        unicode::append_utf8(out, cps[i]);
      }
    }
    return Value::string(std::move(out), obj.is_markup() ? Markup::kYes : Markup::kNo);
  }
  if (obj.is_list_or_tuple()) {
    const auto& items = obj.list_data().items;
    auto idx = slice_indices(items.size(), start, stop, step);
    if (!idx) return std::nullopt;
    std::vector<Value> out;
    out.reserve(idx->size());
    for (size_t i : *idx) out.push_back(items[i]);
    return obj.is_tuple() ? Value::tuple(std::move(out)) : Value::list(std::move(out));
  }
  if (obj.is_undefined()) raise_undefined(obj);
  return std::nullopt;
}

void raise_slice_error(const Value& obj, const Value& start, const Value& stop, const Value& step) {
  if (obj.is_undefined()) raise_undefined(obj);
  if (obj.is_dict()) throw_type_error("unhashable type: 'slice'");
  if (obj.is_string() || obj.is_list_or_tuple()) {
    for (const Value* v : {&start, &stop, &step}) {
      if (!v->is_none() && !v->is_int() && !v->is_bool()) {
        if (v->is_undefined()) raise_undefined(*v);
      }
    }
    throw_type_error("slice indices must be integers or None or have an __index__ method");
  }
  throw_type_error("'" + std::string(type_name(obj)) + "' object is not subscriptable");
}

std::optional<Value> subscript(const Value& obj, const Value& key) {
  switch (obj.kind()) {
    case ValueKind::kUndefined: raise_undefined(obj);
    case ValueKind::kDict: {
      if (key.is_list() || key.is_dict()) return std::nullopt;
      const Value* v = obj.dict_data().find(key);
      if (v == nullptr) return std::nullopt;
      return *v;
    }
    case ValueKind::kList: case ValueKind::kTuple: {
      if (!key.is_int() && !key.is_bool()) return std::nullopt;
      const auto& items = obj.list_data().items;
      int64_t i = key.as_int();
      if (i < 0) i += static_cast<int64_t>(items.size());
      if (i < 0 || i >= static_cast<int64_t>(items.size())) return std::nullopt;
      return items[static_cast<size_t>(i)];
    }
    case ValueKind::kString: {
      if (!key.is_int() && !key.is_bool()) return std::nullopt;
      const std::string& s = obj.as_string();
      const size_t n = unicode::length(s);
      int64_t i = key.as_int();
      if (i < 0) i += static_cast<int64_t>(n);
      if (i < 0 || i >= static_cast<int64_t>(n)) return std::nullopt;
      size_t at = unicode::byte_offset(s, static_cast<size_t>(i));
      std::string ch;
      unicode::append_utf8(ch, unicode::decode_next(s, at));
      return Value::string(std::move(ch), obj.is_markup() ? Markup::kYes : Markup::kNo);
    }
    default: return std::nullopt;
  }
}

}  // namespace hako::jinja
