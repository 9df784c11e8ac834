// Expression evaluation of the interpreter (see interpreter.h): names,
// literals, attribute/item access with Jinja2's sandboxed lookup order,
// calls, filters, tests, operators and comparisons.
#include <utility>

#include "chat/jinja/builtins.h"
#include "chat/jinja/interpreter.h"
#include "chat/jinja/operators.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {

using namespace ast;

Value Interpreter::eval(const Expr& e, jinja::Scope& scope) {
  DepthGuard guard(*this);
  count_step();
  try {
    return eval_inner(e, scope);
  } catch (TemplateError& err) {
    err.set_pos_if_unknown(e.pos);
    throw;
  }
}

Value Interpreter::eval_inner(const Expr& e, jinja::Scope& scope) {
  switch (e.kind) {
    case ExprKind::kConst: return static_cast<const Const&>(e).value;
    case ExprKind::kName: {
      const std::string& name = static_cast<const Name&>(e).name;
      const Value* v = scope.find(name);
      return v != nullptr ? *v : undefined_name(name);
    }
    case ExprKind::kList: case ExprKind::kTuple: {
      std::vector<Value> items;
      for (const auto& item : static_cast<const Sequence&>(e).items) items.push_back(eval(*item, scope));
      return e.kind == ExprKind::kList ? Value::list(std::move(items)) : Value::tuple(std::move(items));
    }
    case ExprKind::kDict: {
      Value d = Value::dict();
      for (const auto& [k, v] : static_cast<const DictLiteral&>(e).items) {
        Value key = eval(*k, scope);
        d.dict_data().set(std::move(key), eval(*v, scope));
      }
      return d;
    }
    case ExprKind::kGetAttr: {
      const auto& n = static_cast<const GetAttr&>(e);
      return getattr(eval(*n.obj, scope), n.attr);
    }
    case ExprKind::kGetItem: return eval_getitem(static_cast<const GetItem&>(e), scope);
    case ExprKind::kSlice: throw_type_error("unhashable type: 'slice'");
    case ExprKind::kCall: return eval_call(static_cast<const Call&>(e), scope);
    case ExprKind::kFilter: return eval_filter(static_cast<const Filter&>(e), scope, nullptr);
    case ExprKind::kTest: {
      const auto& n = static_cast<const Test&>(e);
      const Value operand = eval(*n.operand, scope);
      CallArgs args;
      eval_args(n.args, scope, args);
      if (n.fn == nullptr) throw_error(ErrorClass::kTemplateRuntimeError, "No test named '" + n.name + "' found.");
      return Value::boolean(n.fn(*this, operand, args));
    }
    case ExprKind::kUnary: {
      const auto& n = static_cast<const Unary&>(e);
      return unary_op(n.op, eval(*n.operand, scope));
    }
    case ExprKind::kBinary: {
      const auto& n = static_cast<const Binary&>(e);
      const Value lhs = eval(*n.lhs, scope);
      return binary_op(*this, n.op, lhs, eval(*n.rhs, scope));
    }
    case ExprKind::kAnd: case ExprKind::kOr: {
      const auto& n = static_cast<const Binary&>(e);
      Value lhs = eval(*n.lhs, scope);
      if (truthy(lhs) == (e.kind == ExprKind::kOr)) return lhs;
      return eval(*n.rhs, scope);
    }
    case ExprKind::kConcat: {
      std::string out;
      for (const auto& part : static_cast<const Concat&>(e).parts) {
        const Value v = eval(*part, scope);
        out += v.is_string() ? v.as_string() : to_str(v);
        charge_bytes(out.size());
      }
      return Value::string(std::move(out));
    }
    case ExprKind::kCompare: return eval_compare(static_cast<const Compare&>(e), scope);
    case ExprKind::kCondExpr: {
      const auto& n = static_cast<const CondExpr&>(e);
      if (truthy(eval(*n.test, scope))) return eval(*n.then_expr, scope);
      if (n.else_expr) return eval(*n.else_expr, scope);
      return Value::undefined("the inline if-expression on line " + std::to_string(e.pos.line) +
                              " evaluated to false and no else section was defined.");
    }
  }
  return Value();
}

Value Interpreter::getattr(const Value& obj, std::string_view name) {
  if (obj.is_undefined()) raise_undefined(obj);
  if (obj.is_namespace()) {
    if (const Value* v = obj.dict_data().find(name)) return *v;
    return Value::undefined("'jinja2.utils.Namespace object' has no attribute '" + std::string(name) + "'");
  }
  if (!name.empty() && name[0] != '_') {
    if (auto attr = builtin_attribute(*this, obj, name)) return std::move(*attr);
  }
  if (obj.is_dict()) {
    if (const Value* v = obj.dict_data().find(name)) return *v;
  }
  return undefined_attr(obj, name);
}

Value Interpreter::getitem(const Value& obj, const Value& key) {
  if (auto v = subscript(obj, key)) return std::move(*v);
  if (key.is_string()) {
    const std::string& name = key.as_string();
    if (obj.is_namespace()) {
      if (const Value* v = obj.dict_data().find(name)) return *v;
    } else if (!name.empty() && name[0] != '_') {
      if (auto attr = builtin_attribute(*this, obj, name)) return std::move(*attr);
    }
  }
  return undefined_item(obj, key);
}

Value Interpreter::eval_getitem(const GetItem& e, jinja::Scope& scope) {
  const Value obj = eval(*e.obj, scope);
  if (e.key->kind == ExprKind::kSlice) {
    const auto& s = static_cast<const Slice&>(*e.key);
    const Value start = s.start ? eval(*s.start, scope) : Value::none();
    const Value stop = s.stop ? eval(*s.stop, scope) : Value::none();
    const Value step = s.step ? eval(*s.step, scope) : Value::none();
    if (auto v = slice(obj, start, stop, step)) return std::move(*v);
    raise_slice_error(obj, start, stop, step);
  }
  return getitem(obj, eval(*e.key, scope));
}

void Interpreter::eval_args(const CallArguments& a, jinja::Scope& scope, CallArgs& out) {
  for (const auto& arg : a.args) out.args.push_back(eval(*arg, scope));
  if (a.dyn_args) {
    for (Value& v : iterate(eval(*a.dyn_args, scope))) out.args.push_back(std::move(v));
  }
  for (const auto& [k, v] : a.kwargs) out.kwargs.emplace_back(k, eval(*v, scope));
  if (a.dyn_kwargs) {
    const Value d = eval(*a.dyn_kwargs, scope);
    if (!d.is_dict()) throw_type_error("argument after ** must be a mapping, not " + std::string(type_name(d)));
    for (const auto& [k, v] : d.dict_data().entries()) {
      if (!k.is_string()) throw_type_error("keywords must be strings");
      out.kwargs.emplace_back(k.as_string(), v);
    }
  }
}

Value Interpreter::eval_call(const Call& e, jinja::Scope& scope) {
  const Value callee = eval(*e.callee, scope);
  CallArgs args;
  eval_args(e.args, scope, args);
  return call(callee, args);
}

Value Interpreter::eval_filter(const Filter& e, jinja::Scope& scope, const Value* block_input) {
  Value operand;
  if (e.operand == nullptr) {
    if (block_input != nullptr) operand = *block_input;
  } else if (e.operand->kind == ExprKind::kFilter && block_input != nullptr) {
    operand = eval_filter(static_cast<const Filter&>(*e.operand), scope, block_input);
  } else {
    operand = eval(*e.operand, scope);
  }
  CallArgs args;
  eval_args(e.args, scope, args);
  if (e.fn == nullptr) throw_error(ErrorClass::kTemplateRuntimeError, "No filter named '" + e.name + "' found.");
  try {
    return e.fn(*this, operand, args);
  } catch (TemplateError& err) {
    err.set_pos_if_unknown(e.pos);
    throw;
  }
}

Value Interpreter::eval_compare(const Compare& e, jinja::Scope& scope) {
  Value left = eval(*e.first, scope);
  for (const auto& [op, expr] : e.rest) {
    Value right = eval(*expr, scope);
    bool ok = false;
    switch (op) {
      case CompareOp::kEq: ok = equals(left, right); break;
      case CompareOp::kNe: ok = !equals(left, right); break;
      case CompareOp::kLt: ok = compare(left, right, "<") < 0; break;
      case CompareOp::kLe: ok = compare(left, right, "<=") <= 0; break;
      case CompareOp::kGt: ok = compare(left, right, ">") > 0; break;
      case CompareOp::kGe: ok = compare(left, right, ">=") >= 0; break;
      case CompareOp::kIn: ok = contains(*this, right, left); break;
      case CompareOp::kNotIn: ok = !contains(*this, right, left); break;
    }
    if (!ok) return Value::boolean(false);
    left = std::move(right);
  }
  return Value::boolean(true);
}

}  // namespace hako::jinja
