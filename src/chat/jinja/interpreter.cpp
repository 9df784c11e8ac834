// Statement execution, scopes, macros, loops and resource limits of the
// interpreter (see interpreter.h). Expression evaluation is in
// interpreter_expr.cpp.
#include "chat/jinja/interpreter.h"

#include <utility>

#include "chat/jinja/builtins.h"
#include "chat/jinja/runtime_objects.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {

using namespace ast;

// ---- Scope ----

Scope::~Scope() { clear(); }

const Value* Scope::find(std::string_view name) const {
  for (const Scope* s = this; s != nullptr; s = s->parent_.get()) {
    for (const auto& [k, v] : s->vars_) {
      if (k == name) return &v;
    }
  }
  return nullptr;
}

void Scope::set(std::string_view name, Value v) {
  for (auto& [k, old] : vars_) {
    if (k == name) {
      old = std::move(v);
      return;
    }
  }
  vars_.emplace_back(std::string(name), std::move(v));
}

void Scope::clear() {
  std::vector<Value> values;
  values.reserve(vars_.size());
  for (auto& kv : vars_) values.push_back(std::move(kv.second));
  vars_.clear();
  release_iteratively(values);
}

// ---- limits ----

Interpreter::Interpreter(const RenderSettings& settings) : settings_(settings), out_(&output_) {}

Interpreter::~Interpreter() {
  // Break reference cycles (macros stored in the scope they close over,
  // namespaces holding themselves ...) so that everything is freed.
  for (Value& v : mutated_) {
    if (v.is_list_or_tuple()) {
      release_iteratively(v.list_data().items);
    } else if (v.is_dict() || v.is_namespace()) {
      std::vector<Value> values;
      for (auto& [k, val] : v.dict_data().entries()) values.push_back(std::move(val));
      v.dict_data().clear();
      release_iteratively(values);
    }
  }
  for (auto& s : scopes_to_clear_) s->clear();
}

void Interpreter::depth_exceeded() {
  --depth_;
  throw_error(ErrorClass::kLimitError,
              "recursion limit exceeded (" + std::to_string(settings_.limits.max_depth) + " nested frames)");
}

void Interpreter::count_step() {
  if (++steps_ > settings_.limits.max_steps) {
    throw_error(ErrorClass::kLimitError,
                "template exceeded the step limit (" + std::to_string(settings_.limits.max_steps) + ")");
  }
}

void Interpreter::charge_bytes(size_t n_bytes) {
  if (n_bytes > settings_.limits.max_output_bytes) {
    throw_error(ErrorClass::kLimitError,
                "template built a value larger than the limit (" + std::to_string(settings_.limits.max_output_bytes) +
                    " bytes)");
  }
  steps_ += static_cast<int64_t>(n_bytes / 64);
  count_step();
}

void Interpreter::track_mutable(const Value& container) {
  for (const Value& v : mutated_) {
    if (v.identity() == container.identity()) return;
  }
  mutated_.push_back(container);
}

std::tm Interpreter::now() const {
  if (settings_.fixed_now) return *settings_.fixed_now;
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

void Interpreter::emit(std::string_view text) {
  if (out_->size() + text.size() > settings_.limits.max_output_bytes) {
    throw_error(ErrorClass::kLimitError,
                "rendered output exceeds the limit (" + std::to_string(settings_.limits.max_output_bytes) + " bytes)");
  }
  out_->append(text);
}

// ---- render ----

std::string Interpreter::render(const Program& program, const std::vector<std::pair<std::string, Value>>& context) {
  auto globals_dict = std::make_shared<DictData>();
  add_global_functions(*globals_dict);
  auto globals = std::make_shared<Scope>(nullptr);
  for (auto& [k, v] : globals_dict->entries()) globals->set(k.as_string(), v);
  auto top = std::make_shared<Scope>(globals);
  for (const auto& [k, v] : context) top->set(k, v);
  bind_undefined(program.body_undefined, *top);
  scopes_to_clear_.push_back(top);
  scopes_to_clear_.push_back(globals);
  exec_body(program.body, top);
  return std::move(output_);
}

Flow Interpreter::exec_body(const Body& body, const ScopePtr& scope) {
  for (const auto& stmt : body) {
    const Flow f = exec(*stmt, scope);
    if (f != Flow::kNormal) return f;
  }
  return Flow::kNormal;
}

std::string Interpreter::capture(const Body& body, const ScopePtr& scope) {
  std::string buffer;
  std::string* saved = out_;
  out_ = &buffer;
  try {
    exec_body(body, scope);
  } catch (...) {
    out_ = saved;
    throw;
  }
  out_ = saved;
  return buffer;
}

Flow Interpreter::exec(const Stmt& stmt, const ScopePtr& scope) {
  DepthGuard guard(*this);
  count_step();
  try {
    switch (stmt.kind) {
      case StmtKind::kText: emit(static_cast<const Text&>(stmt).text); break;
      case StmtKind::kOutput: {
        const Value v = eval(*static_cast<const Output&>(stmt).expr, *scope);
        if (v.is_string()) {
          emit(v.as_string());
        } else {
          emit(to_str(v));
        }
        break;
      }
      case StmtKind::kIf: {
        const auto& n = static_cast<const If&>(stmt);
        return exec_body(truthy(eval(*n.test, *scope)) ? n.body : n.else_body, scope);
      }
      case StmtKind::kFor: return exec_for(static_cast<const For&>(stmt), scope);
      case StmtKind::kSet: exec_set(static_cast<const Set&>(stmt), scope); break;
      case StmtKind::kSetBlock: exec_set_block(static_cast<const SetBlock&>(stmt), scope); break;
      case StmtKind::kMacro: {
        const auto& def = *static_cast<const Macro&>(stmt).def;
        scope->set(def.name, Value::callable(std::make_shared<MacroCallable>(&def, scope)));
        if (scopes_to_clear_.empty() || scopes_to_clear_.back() != scope) scopes_to_clear_.push_back(scope);
        break;
      }
      case StmtKind::kCallBlock: exec_call_block(static_cast<const CallBlock&>(stmt), scope); break;
      case StmtKind::kFilterBlock: exec_filter_block(static_cast<const FilterBlock&>(stmt), scope); break;
      case StmtKind::kWith: exec_with(static_cast<const With&>(stmt), scope); break;
      case StmtKind::kBreak: return Flow::kBreak;
      case StmtKind::kContinue: return Flow::kContinue;
      case StmtKind::kInline: {
        const auto& n = static_cast<const ast::Inline&>(stmt);
        if (n.scope == InlineScope::kShared) return exec_body(n.body, scope);
        auto inner = std::make_shared<jinja::Scope>(scope);
        bind_undefined(n.body_undefined, *inner);
        exec_body(n.body, inner);
        break;
      }
    }
  } catch (TemplateError& e) {
    e.set_pos_if_unknown(stmt.pos);
    throw;
  }
  return Flow::kNormal;
}

// ---- assignment ----

void Interpreter::bind_undefined(const UndefinedAtEntry& names, jinja::Scope& scope) {
  for (const std::string& name : names) scope.set(name, undefined_name(name));
}

void Interpreter::assign(const Target& target, Value value, jinja::Scope& scope) {
  switch (target.kind) {
    case Target::Kind::kName: scope.set(target.name, std::move(value)); return;
    case Target::Kind::kNamespaceAttr: {
      const Value* ns = scope.find(target.name);
      if (ns == nullptr || !ns->is_namespace()) {
        throw_error(ErrorClass::kTemplateRuntimeError, "cannot assign attribute on non-namespace object");
      }
      ns->dict_data().set(Value::string(target.attr), std::move(value));
      return;
    }
    case Target::Kind::kTuple: {
      std::vector<Value> items = iterate(value);
      const size_t want = target.items.size();
      if (items.size() < want) {
        throw_error(ErrorClass::kValueError, "not enough values to unpack (expected " + std::to_string(want) +
                                                 ", got " + std::to_string(items.size()) + ")");
      }
      if (items.size() > want) {
        throw_error(ErrorClass::kValueError, "too many values to unpack (expected " + std::to_string(want) + ")");
      }
      for (size_t i = 0; i < want; ++i) assign(target.items[i], std::move(items[i]), scope);
      return;
    }
  }
}

void Interpreter::exec_set(const Set& node, const ScopePtr& scope) {
  assign(node.target, eval(*node.value, *scope), *scope);
}

void Interpreter::exec_set_block(const SetBlock& node, const ScopePtr& scope) {
  auto inner = std::make_shared<jinja::Scope>(scope);
  bind_undefined(node.body_undefined, *inner);
  Value body = Value::string(capture(node.body, inner));
  if (node.filter) body = eval_filter(static_cast<const Filter&>(*node.filter), *scope, &body);
  assign(node.target, std::move(body), *scope);
}

void Interpreter::exec_filter_block(const FilterBlock& node, const ScopePtr& scope) {
  auto inner = std::make_shared<jinja::Scope>(scope);
  bind_undefined(node.body_undefined, *inner);
  const Value body = Value::string(capture(node.body, inner));
  emit(to_str(eval_filter(static_cast<const Filter&>(*node.filter), *scope, &body)));
}

void Interpreter::exec_with(const With& node, const ScopePtr& scope) {
  auto inner = std::make_shared<jinja::Scope>(scope);
  std::vector<Value> values;
  for (const auto& v : node.values) values.push_back(eval(*v, *scope));
  bind_undefined(node.body_undefined, *inner);
  for (size_t i = 0; i < node.targets.size(); ++i) assign(node.targets[i], std::move(values[i]), *inner);
  exec_body(node.body, inner);
}

void Interpreter::exec_call_block(const CallBlock& node, const ScopePtr& scope) {
  const Value callee = eval(*node.call->callee, *scope);
  CallArgs args;
  eval_args(node.call->args, *scope, args);
  args.kwargs.emplace_back("caller", Value::callable(std::make_shared<MacroCallable>(node.caller.get(), scope)));
  emit(to_str(call(callee, args)));
}

// ---- loops ----

Flow Interpreter::exec_for(const For& node, const ScopePtr& scope) {
  std::vector<Value> items = iterate(eval(*node.iter, *scope));
  if (node.recursive == LoopRecursion::kYes) {
    emit(to_str(run_loop(node, scope, std::move(items), 1)));
  } else {
    run_loop(node, scope, std::move(items), 1);
  }
  return Flow::kNormal;
}

Value Interpreter::run_loop(const For& node, const ScopePtr& scope, std::vector<Value> items, int depth) {
  DepthGuard guard(*this);
  if (node.filter) {
    std::vector<Value> kept;
    for (Value& item : items) {
      count_step();
      auto probe = std::make_shared<jinja::Scope>(scope);
      assign(node.target, item, *probe);
      if (truthy(eval(*node.filter, *probe))) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  // A recursive loop's output is its value (loop(x) returns it); a plain
  // loop writes straight to the output.
  std::string buffer;
  std::string* saved = out_;
  if (node.recursive == LoopRecursion::kYes) out_ = &buffer;
  try {
    auto shared_items = std::make_shared<const std::vector<Value>>(std::move(items));
    auto loop = std::make_shared<LoopObject>(&node, scope, shared_items, depth);
    const Value loop_value = Value::object(loop);
    // Jinja2 runs the else block unless some iteration reached the end of
    // the body: an iteration left by break or continue does not count.
    bool completed_any = false;
    for (size_t i = 0; i < shared_items->size(); ++i) {
      count_step();
      auto iteration = std::make_shared<jinja::Scope>(scope);
      bind_undefined(node.body_undefined, *iteration);
      assign(node.target, (*shared_items)[i], *iteration);
      loop->set_index(i);
      iteration->set("loop", loop_value);
      const Flow flow = exec_body(node.body, iteration);
      if (flow == Flow::kBreak) break;
      if (flow == Flow::kNormal) completed_any = true;
    }
    if (!completed_any) {
      auto else_scope = std::make_shared<jinja::Scope>(scope);
      bind_undefined(node.else_undefined, *else_scope);
      exec_body(node.else_body, else_scope);
    }
  } catch (...) {
    out_ = saved;
    throw;
  }
  out_ = saved;
  return Value::string(std::move(buffer));
}

// ---- macros ----

Value Interpreter::call_macro(const MacroDef& def, const ScopePtr& closure, CallArgs& args) {
  DepthGuard guard(*this);
  auto frame = std::make_shared<jinja::Scope>(closure);
  bind_undefined(def.body_undefined, *frame);
  const size_t n_params = def.params.size();
  std::vector<std::pair<std::string, Value>> kwargs = std::move(args.kwargs);
  auto take_kwarg = [&](std::string_view name) -> std::optional<Value> {
    for (auto it = kwargs.begin(); it != kwargs.end(); ++it) {
      if (it->first == name) {
        Value v = std::move(it->second);
        kwargs.erase(it);
        return v;
      }
    }
    return std::nullopt;
  };
  bool found_caller = false;
  const size_t n_defaults_start = n_params - def.defaults.size();
  for (size_t i = 0; i < n_params; ++i) {
    const std::string& name = def.params[i];
    std::optional<Value> v;
    if (i < args.args.size()) {
      v = args.args[i];
    } else {
      v = take_kwarg(name);
      if (name == "caller") found_caller = true;
    }
    if (!v) {
      if (i >= n_defaults_start) {
        v = eval(*def.defaults[i - n_defaults_start], *frame);
      } else {
        v = Value::undefined("parameter '" + name + "' was not provided");
      }
    }
    frame->set(name, std::move(*v));
  }
  if (def.uses_caller && !found_caller) {
    std::optional<Value> caller = take_kwarg("caller");
    frame->set("caller", caller ? std::move(*caller) : Value::undefined("No caller defined"));
  }
  if (def.uses_kwargs) {
    Value d = Value::dict();
    for (auto& [k, v] : kwargs) d.dict_data().set(Value::string(k), std::move(v));
    frame->set("kwargs", std::move(d));
  } else if (!kwargs.empty()) {
    if (kwargs.front().first == "caller") {
      throw_type_error("macro '" + def.name + "' was invoked with two values for the special caller argument");
    }
    throw_type_error("macro '" + def.name + "' takes no keyword argument '" + kwargs.front().first + "'");
  }
  if (def.uses_varargs) {
    std::vector<Value> extra;
    for (size_t i = n_params; i < args.args.size(); ++i) extra.push_back(args.args[i]);
    frame->set("varargs", Value::tuple(std::move(extra)));
  } else if (args.args.size() > n_params) {
    throw_type_error("macro '" + def.name + "' takes not more than " + std::to_string(n_params) + " argument(s)");
  }
  return Value::string(capture(def.body, frame));
}

// ---- services ----

std::vector<Value> Interpreter::iterate(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kList: case ValueKind::kTuple: return v.list_data().items;
    case ValueKind::kDict: {
      std::vector<Value> keys;
      keys.reserve(v.dict_data().size());
      for (const auto& [k, val] : v.dict_data().entries()) keys.push_back(k);
      return keys;
    }
    case ValueKind::kString: {
      std::vector<Value> chars;
      const std::string& s = v.as_string();
      size_t i = 0;
      while (i < s.size()) {
        std::string ch;
        unicode::append_utf8(ch, unicode::decode_next(s, i));
        chars.push_back(Value::string(std::move(ch), v.is_markup() ? Markup::kYes : Markup::kNo));
      }
      return chars;
    }
    case ValueKind::kIterator: {
      std::vector<Value> out;
      while (auto item = v.iterator_ref().next(*this)) {
        count_step();
        out.push_back(std::move(*item));
      }
      return out;
    }
    case ValueKind::kUndefined: return {};
    default:
      throw_type_error(cat({"'", type_name(v), "' object is not iterable"}));
  }
}

Value Interpreter::call(const Value& callee, CallArgs& args) {
  DepthGuard guard(*this);
  if (callee.is_callable()) return callee.callable_ref().call(*this, args);
  if (callee.is_object() && callee.object_ref().is_callable()) return callee.object_ref().call(*this, args);
  if (callee.is_undefined()) raise_undefined(callee);
  throw_type_error(cat({"'", type_name(callee), "' object is not callable"}));
}

Value Interpreter::apply_filter(std::string_view name, const Value& input, CallArgs& args) {
  const FilterFn fn = find_filter(name);
  if (fn == nullptr) throw_error(ErrorClass::kTemplateRuntimeError, "No filter named '" + std::string(name) + "'.");
  return fn(*this, input, args);
}

bool Interpreter::apply_test(std::string_view name, const Value& input, CallArgs& args) {
  const TestFn fn = find_test(name);
  if (fn == nullptr) throw_error(ErrorClass::kTemplateRuntimeError, "No test named '" + std::string(name) + "'.");
  return fn(*this, input, args);
}

}  // namespace hako::jinja
