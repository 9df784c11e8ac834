// The callable and object kinds the interpreter creates at render time:
// macros (closures over their defining scope), builtin functions, bound
// methods of builtin types (s.strip, d.items ...) and the `loop` object of
// for-loops (with cycle(), changed() and, for recursive loops, loop(x)).
// Not here: the functions themselves (globals.cpp, methods.cpp).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chat/jinja/ast.h"
#include "chat/jinja/interpreter.h"
#include "chat/jinja/value.h"

namespace hako::jinja {

using BuiltinFn = Value (*)(Interpreter& in, CallArgs& args);
using MethodFn = Value (*)(Interpreter& in, const Value& self, CallArgs& args);

class BuiltinFunction : public Callable {
 public:
  BuiltinFunction(std::string name, BuiltinFn fn) : name_(std::move(name)), fn_(fn) {}
  Value call(Interpreter& in, CallArgs& args) override { return fn_(in, args); }
  std::string repr() const override { return "<function " + name_ + ">"; }
  std::string_view type_name() const override { return "function"; }

 private:
  std::string name_;
  BuiltinFn fn_;
};

class BoundMethod : public Callable {
 public:
  BoundMethod(Value self, std::string name, MethodFn fn) : self_(std::move(self)), name_(std::move(name)), fn_(fn) {}
  Value call(Interpreter& in, CallArgs& args) override { return fn_(in, self_, args); }
  std::string repr() const override { return "<built-in method " + name_ + ">"; }
  std::string_view type_name() const override { return "builtin_function_or_method"; }

 private:
  Value self_;
  std::string name_;
  MethodFn fn_;
};

class MacroCallable : public Callable {
 public:
  MacroCallable(const ast::MacroDef* def, ScopePtr closure) : def_(def), closure_(std::move(closure)) {}
  Value call(Interpreter& in, CallArgs& args) override { return in.call_macro(*def_, closure_, args); }
  std::string repr() const override { return "<Macro '" + def_->name + "'>"; }
  std::string_view type_name() const override { return "Macro"; }

 private:
  const ast::MacroDef* def_;
  ScopePtr closure_;
};

// State of one running for-loop; `loop` in the body refers to it.
class LoopObject : public Object, public std::enable_shared_from_this<LoopObject> {
 public:
  LoopObject(const ast::For* node, ScopePtr scope, std::shared_ptr<const std::vector<Value>> items, int depth)
      : node_(node), scope_(std::move(scope)), items_(std::move(items)), depth_(depth) {}

  void set_index(size_t i) { index0_ = i; }
  std::string_view type_name() const override { return "LoopContext"; }
  std::optional<Value> get_attr(std::string_view name) override;
  std::string repr() const override;
  std::optional<int64_t> length() const override { return static_cast<int64_t>(items_->size()); }
  bool is_callable() const override { return node_->recursive == ast::LoopRecursion::kYes; }
  // loop(iterable) in a recursive loop: renders the loop body over it.
  Value call(Interpreter& in, CallArgs& args) override;

  Value cycle(CallArgs& args) const;
  bool changed(CallArgs& args);

 private:
  const ast::For* node_;
  ScopePtr scope_;
  std::shared_ptr<const std::vector<Value>> items_;
  int depth_;
  size_t index0_ = 0;
  std::optional<std::vector<Value>> last_changed_;
};

}  // namespace hako::jinja
