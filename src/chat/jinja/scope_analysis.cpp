// Frame symbol analysis (see scope_analysis.h), following Symbols and
// FrameSymbolVisitor of jinja2/idtracking.py: loads, stores, parameters and
// the merge of if-branches, frame by frame, outer frames completed before
// the frames nested in them.
#include "chat/jinja/scope_analysis.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "chat/jinja/ast_walk.h"

namespace hako::jinja::detail {
namespace {

using namespace ast;

struct Symbols {
  const Symbols* parent = nullptr;
  std::set<std::string> refs;       // names this frame has a local for
  std::set<std::string> stores;     // names assigned in this frame
  std::set<std::string> undefined;  // locals that start out missing

  bool find_ref(const std::string& name) const {
    for (const Symbols* s = this; s != nullptr; s = s->parent) {
      if (s->refs.count(name) != 0) return true;
    }
    return false;
  }
  void load(const std::string& name) {
    if (!find_ref(name)) refs.insert(name);  // resolved from the context at entry
  }
  void store(const std::string& name) {
    stores.insert(name);
    if (refs.count(name) != 0) return;
    refs.insert(name);  // an alias of the outer local, or missing
    if (parent == nullptr || !parent->find_ref(name)) undefined.insert(name);
  }
  void param(const std::string& name) {
    stores.insert(name);
    refs.insert(name);
    undefined.erase(name);
  }
  // Names assigned only inside some branches of an if are resolved (or
  // aliased) at entry, not missing: the branch may not run.
  void branch_update(const std::vector<Symbols>& branches) {
    std::set<std::string> branch_stores;
    for (const Symbols& b : branches) {
      for (const auto& n : b.stores) {
        if (stores.count(n) == 0) branch_stores.insert(n);
      }
    }
    for (const Symbols& b : branches) {
      refs.insert(b.refs.begin(), b.refs.end());
      undefined.insert(b.undefined.begin(), b.undefined.end());
      stores.insert(b.stores.begin(), b.stores.end());
    }
    for (const auto& n : branch_stores) undefined.erase(n);
  }
};

// A frame nested in the one being analysed, analysed once that is complete.
struct PendingFrame {
  Body* body = nullptr;
  std::vector<std::string> params;
  std::vector<const Expr*> param_exprs;  // defaults, evaluated in the frame
  const Target* stored_target = nullptr;  // with-block targets (stores)
  std::vector<const Target*> with_targets;
  UndefinedAtEntry* out = nullptr;
};

void load_names(const Expr* e, Symbols& sym) {
  walk_expr(e, false, [&sym](const Expr& x, bool) {
    if (x.kind == ExprKind::kName) sym.load(static_cast<const Name&>(x).name);
  });
}

void load_args(const CallArguments& a, Symbols& sym) {
  for (const auto& x : a.args) load_names(x.get(), sym);
  for (const auto& kv : a.kwargs) load_names(kv.second.get(), sym);
  load_names(a.dyn_args.get(), sym);
  load_names(a.dyn_kwargs.get(), sym);
}

void store_target(const Target& t, Symbols& sym) {
  switch (t.kind) {
    case Target::Kind::kName: sym.store(t.name); break;
    case Target::Kind::kNamespaceAttr: sym.load(t.name); break;
    case Target::Kind::kTuple:
      for (const Target& item : t.items) store_target(item, sym);
      break;
  }
}

void param_target(const Target& t, Symbols& sym) {
  if (t.kind == Target::Kind::kTuple) {
    for (const Target& item : t.items) param_target(item, sym);
  } else {
    sym.param(t.name);
  }
}

class FrameVisitor {
 public:
  FrameVisitor(Symbols& sym, std::vector<PendingFrame>& nested) : sym_(sym), nested_(nested) {}

  void visit_body(Body& body) {
    for (auto& s : body) visit(*s);
  }

 private:
  void macro_frame(MacroDef& def) {
    PendingFrame f;
    f.body = &def.body;
    f.params = def.params;
    for (const char* special : {"caller", "varargs", "kwargs"}) f.params.emplace_back(special);
    for (const auto& d : def.defaults) f.param_exprs.push_back(d.get());
    f.out = &def.body_undefined;
    nested_.push_back(std::move(f));
  }

  void visit(Stmt& s) {
    switch (s.kind) {
      case StmtKind::kText: case StmtKind::kBreak: case StmtKind::kContinue: break;
      case StmtKind::kOutput: load_names(static_cast<Output&>(s).expr.get(), sym_); break;
      case StmtKind::kIf: {
        auto& n = static_cast<If&>(s);
        load_names(n.test.get(), sym_);
        std::vector<Symbols> branches;
        for (Body* b : {&n.body, &n.else_body}) {
          branches.push_back(sym_);
          FrameVisitor inner(branches.back(), nested_);
          inner.visit_body(*b);
        }
        sym_.branch_update(branches);
        break;
      }
      case StmtKind::kFor: {
        auto& n = static_cast<For&>(s);
        load_names(n.iter.get(), sym_);
        PendingFrame body;
        body.body = &n.body;
        body.stored_target = &n.target;
        body.out = &n.body_undefined;
        nested_.push_back(std::move(body));
        PendingFrame els;
        els.body = &n.else_body;
        els.out = &n.else_undefined;
        nested_.push_back(std::move(els));
        break;
      }
      case StmtKind::kSet: {
        auto& n = static_cast<Set&>(s);
        load_names(n.value.get(), sym_);
        store_target(n.target, sym_);
        break;
      }
      case StmtKind::kSetBlock: {
        auto& n = static_cast<SetBlock&>(s);
        store_target(n.target, sym_);
        PendingFrame f;
        f.body = &n.body;
        f.out = &n.body_undefined;
        nested_.push_back(std::move(f));
        break;
      }
      case StmtKind::kMacro: {
        auto& n = static_cast<Macro&>(s);
        sym_.store(n.def->name);
        macro_frame(*n.def);
        break;
      }
      case StmtKind::kCallBlock: {
        auto& n = static_cast<CallBlock&>(s);
        load_names(n.call->callee.get(), sym_);
        load_args(n.call->args, sym_);
        macro_frame(*n.caller);
        break;
      }
      case StmtKind::kFilterBlock: {
        auto& n = static_cast<FilterBlock&>(s);
        load_names(n.filter.get(), sym_);
        PendingFrame f;
        f.body = &n.body;
        f.out = &n.body_undefined;
        nested_.push_back(std::move(f));
        break;
      }
      case StmtKind::kWith: {
        auto& n = static_cast<With&>(s);
        for (const auto& v : n.values) load_names(v.get(), sym_);
        PendingFrame f;
        f.body = &n.body;
        for (const Target& t : n.targets) f.with_targets.push_back(&t);
        f.out = &n.body_undefined;
        nested_.push_back(std::move(f));
        break;
      }
      case StmtKind::kInline: {
        auto& n = static_cast<Inline&>(s);
        if (n.scope == InlineScope::kShared) {
          visit_body(n.body);
        } else {
          PendingFrame f;
          f.body = &n.body;
          f.out = &n.body_undefined;
          nested_.push_back(std::move(f));
        }
        break;
      }
    }
  }

  Symbols& sym_;
  std::vector<PendingFrame>& nested_;
};

void analyze_frame(const PendingFrame& frame, const Symbols* parent) {
  Symbols sym;
  sym.parent = parent;
  for (const auto& p : frame.params) sym.param(p);
  if (frame.stored_target != nullptr) param_target(*frame.stored_target, sym);
  for (const Expr* d : frame.param_exprs) load_names(d, sym);
  for (const Target* t : frame.with_targets) store_target(*t, sym);
  std::vector<PendingFrame> nested;
  FrameVisitor visitor(sym, nested);
  visitor.visit_body(*frame.body);
  frame.out->assign(sym.undefined.begin(), sym.undefined.end());
  for (const PendingFrame& inner : nested) analyze_frame(inner, &sym);
}

}  // namespace

void analyze_scopes(Program& program) {
  PendingFrame top;
  top.body = &program.body;
  top.out = &program.body_undefined;
  analyze_frame(top, nullptr);
}

}  // namespace hako::jinja::detail
