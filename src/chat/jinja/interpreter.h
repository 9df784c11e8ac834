// The tree-walking interpreter: renders an ast::Program against a context
// with Jinja2's runtime semantics. Scoping follows Jinja2: the template's
// top level and if-blocks share one scope; every for-loop iteration, macro
// call, call/filter/set block and with-block gets a child scope, so `set`
// inside them never leaks out (namespace() objects are the way out). Macros
// close over the scope they were defined in. Attribute and item access
// follow the sandboxed environment (obj.x tries the attribute, then the
// item; obj['x'] the other way round), and the immutable sandbox refuses
// list.append & co. as transformers' ImmutableSandboxedEnvironment does.
// Resource limits (depth, steps, string/output size) turn hostile templates
// into LimitError instead of crashes or hangs.
// One Interpreter renders once; it is not thread-safe.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/jinja/ast.h"
#include "chat/jinja/value.h"

namespace hako::jinja {

// How strictly the sandbox guards mutation of lists and dicts.
enum class Sandbox : uint8_t {
  kImmutable,  // transformers: list.append, dict.update ... raise SecurityError
  kMutable,    // plain SandboxedEnvironment (llama.cpp-like): they work
};

struct Limits {
  // Nested evaluation frames (statements, expressions, macro calls).
  int max_depth = 1000;
  // Evaluation steps: one per node evaluated or loop iteration, plus one
  // per 64 bytes of strings/lists built, which bounds time and memory.
  int64_t max_steps = 20'000'000;
  // Largest rendered output, and largest single string or list (bytes).
  size_t max_output_bytes = size_t{64} << 20;
};

struct RenderSettings {
  Sandbox sandbox = Sandbox::kImmutable;
  Limits limits;
  // The clock strftime_now() formats; nullopt = the local time now.
  std::optional<std::tm> fixed_now;
};

// A variable scope; lookups walk to the parent.
class Scope {
 public:
  explicit Scope(std::shared_ptr<Scope> parent) : parent_(std::move(parent)) {}
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  const Value* find(std::string_view name) const;
  void set(std::string_view name, Value v);
  // Drops every variable (breaks reference cycles at the end of a render).
  void clear();

 private:
  std::shared_ptr<Scope> parent_;
  std::vector<std::pair<std::string, Value>> vars_;
};
using ScopePtr = std::shared_ptr<Scope>;

enum class Flow : uint8_t { kNormal, kBreak, kContinue };

class Interpreter {
 public:
  explicit Interpreter(const RenderSettings& settings);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Renders program with `context` (name -> value) on top of the globals.
  std::string render(const ast::Program& program, const std::vector<std::pair<std::string, Value>>& context);

  const RenderSettings& settings() const { return settings_; }

  // ---- services for builtins ----
  // Python iteration: list/tuple items, dict keys, string characters,
  // iterator items (consumed); undefined is empty. TypeError otherwise.
  std::vector<Value> iterate(const Value& v);
  Value call(const Value& callee, CallArgs& args);
  // Jinja2's sandboxed getattr (obj.name) and getitem (obj[key]).
  Value getattr(const Value& obj, std::string_view name);
  Value getitem(const Value& obj, const Value& key);
  Value apply_filter(std::string_view name, const Value& input, CallArgs& args);
  bool apply_test(std::string_view name, const Value& input, CallArgs& args);
  // Charges a string or list of `n_bytes` about to be built: throws
  // LimitError if it exceeds max_output_bytes or the step budget.
  void charge_bytes(size_t n_bytes);
  void count_step();
  // Remembers a container that template code mutates in place, so that
  // reference cycles through it are broken when the render ends.
  void track_mutable(const Value& container);
  std::tm now() const;

  // ---- used by MacroCallable / LoopObject ----
  Value call_macro(const ast::MacroDef& def, const ScopePtr& closure, CallArgs& args);
  Value run_loop(const ast::For& node, const ScopePtr& scope, std::vector<Value> items, int depth);

 private:
  class DepthGuard {
   public:
    explicit DepthGuard(Interpreter& in) : in_(in) {
      if (++in_.depth_ > in_.settings_.limits.max_depth) in_.depth_exceeded();
    }
    ~DepthGuard() { --in_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Interpreter& in_;
  };
  [[noreturn]] void depth_exceeded();

  Flow exec_body(const ast::Body& body, const ScopePtr& scope);
  Flow exec(const ast::Stmt& stmt, const ScopePtr& scope);
  Flow exec_for(const ast::For& node, const ScopePtr& scope);
  void exec_set(const ast::Set& node, const ScopePtr& scope);
  void exec_set_block(const ast::SetBlock& node, const ScopePtr& scope);
  void exec_call_block(const ast::CallBlock& node, const ScopePtr& scope);
  void exec_filter_block(const ast::FilterBlock& node, const ScopePtr& scope);
  void exec_with(const ast::With& node, const ScopePtr& scope);
  std::string capture(const ast::Body& body, const ScopePtr& scope);
  void assign(const ast::Target& target, Value value, Scope& scope);
  // Binds the names a frame starts without (scope_analysis.h) in its scope.
  static void bind_undefined(const ast::UndefinedAtEntry& names, Scope& scope);
  void emit(std::string_view text);

  Value eval(const ast::Expr& e, Scope& scope);
  Value eval_inner(const ast::Expr& e, Scope& scope);
  Value eval_call(const ast::Call& e, Scope& scope);
  Value eval_filter(const ast::Filter& e, Scope& scope, const Value* block_input);
  Value eval_compare(const ast::Compare& e, Scope& scope);
  Value eval_getitem(const ast::GetItem& e, Scope& scope);
  void eval_args(const ast::CallArguments& a, Scope& scope, CallArgs& out);

  RenderSettings settings_;
  std::string* out_ = nullptr;
  std::string output_;
  int depth_ = 0;
  int64_t steps_ = 0;
  std::vector<ScopePtr> scopes_to_clear_;
  std::vector<Value> mutated_;
};

}  // namespace hako::jinja
