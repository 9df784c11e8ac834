// Generic traversal of the syntax tree (see ast_walk.h).
#include "chat/jinja/ast_walk.h"

namespace hako::jinja::detail {

using namespace ast;

namespace {

void walk_args(const CallArguments& a, bool soft, const ExprVisit& visit) {
  for (const auto& x : a.args) walk_expr(x.get(), soft, visit);
  for (const auto& kv : a.kwargs) walk_expr(kv.second.get(), soft, visit);
  walk_expr(a.dyn_args.get(), soft, visit);
  walk_expr(a.dyn_kwargs.get(), soft, visit);
}

}  // namespace

void walk_expr(const Expr* e, bool soft, const ExprVisit& visit) {
  if (e == nullptr) return;
  visit(*e, soft);
  switch (e->kind) {
    case ExprKind::kList: case ExprKind::kTuple:
      for (const auto& x : static_cast<const Sequence*>(e)->items) walk_expr(x.get(), soft, visit);
      break;
    case ExprKind::kDict:
      for (const auto& kv : static_cast<const DictLiteral*>(e)->items) {
        walk_expr(kv.first.get(), soft, visit);
        walk_expr(kv.second.get(), soft, visit);
      }
      break;
    case ExprKind::kGetAttr: walk_expr(static_cast<const GetAttr*>(e)->obj.get(), soft, visit); break;
    case ExprKind::kGetItem: {
      const auto* g = static_cast<const GetItem*>(e);
      walk_expr(g->obj.get(), soft, visit);
      walk_expr(g->key.get(), soft, visit);
      break;
    }
    case ExprKind::kSlice: {
      const auto* s = static_cast<const Slice*>(e);
      walk_expr(s->start.get(), soft, visit);
      walk_expr(s->stop.get(), soft, visit);
      walk_expr(s->step.get(), soft, visit);
      break;
    }
    case ExprKind::kCall: {
      const auto* c = static_cast<const Call*>(e);
      walk_expr(c->callee.get(), soft, visit);
      walk_args(c->args, soft, visit);
      break;
    }
    case ExprKind::kFilter: {
      const auto* f = static_cast<const Filter*>(e);
      walk_expr(f->operand.get(), soft, visit);
      walk_args(f->args, soft, visit);
      break;
    }
    case ExprKind::kTest: {
      const auto* t = static_cast<const Test*>(e);
      walk_expr(t->operand.get(), soft, visit);
      walk_args(t->args, soft, visit);
      break;
    }
    case ExprKind::kUnary: walk_expr(static_cast<const Unary*>(e)->operand.get(), soft, visit); break;
    case ExprKind::kBinary: case ExprKind::kAnd: case ExprKind::kOr: {
      const auto* b = static_cast<const Binary*>(e);
      walk_expr(b->lhs.get(), soft, visit);
      walk_expr(b->rhs.get(), soft, visit);
      break;
    }
    case ExprKind::kConcat:
      for (const auto& x : static_cast<const Concat*>(e)->parts) walk_expr(x.get(), soft, visit);
      break;
    case ExprKind::kCompare: {
      const auto* c = static_cast<const Compare*>(e);
      walk_expr(c->first.get(), soft, visit);
      for (const auto& r : c->rest) walk_expr(r.second.get(), soft, visit);
      break;
    }
    case ExprKind::kCondExpr: {
      const auto* c = static_cast<const CondExpr*>(e);
      walk_expr(c->test.get(), true, visit);
      walk_expr(c->then_expr.get(), true, visit);
      walk_expr(c->else_expr.get(), true, visit);
      break;
    }
    case ExprKind::kConst: case ExprKind::kName: break;
  }
}

namespace {

void walk_macro(const MacroDef& def, const ExprVisit& visit) {
  for (const auto& d : def.defaults) walk_expr(d.get(), false, visit);
  walk_body(def.body, false, visit);
}

void walk_stmt(const Stmt& s, bool soft, const ExprVisit& visit) {
  switch (s.kind) {
    case StmtKind::kOutput: walk_expr(static_cast<const Output&>(s).expr.get(), soft, visit); break;
    case StmtKind::kIf: {
      const auto& n = static_cast<const If&>(s);
      walk_expr(n.test.get(), true, visit);
      walk_body(n.body, true, visit);
      walk_body(n.else_body, true, visit);
      break;
    }
    case StmtKind::kFor: {
      const auto& n = static_cast<const For&>(s);
      walk_expr(n.iter.get(), soft, visit);
      walk_expr(n.filter.get(), false, visit);
      walk_body(n.body, false, visit);
      walk_body(n.else_body, false, visit);
      break;
    }
    case StmtKind::kSet: walk_expr(static_cast<const Set&>(s).value.get(), soft, visit); break;
    case StmtKind::kSetBlock: {
      const auto& n = static_cast<const SetBlock&>(s);
      walk_expr(n.filter.get(), soft, visit);
      walk_body(n.body, false, visit);
      break;
    }
    case StmtKind::kMacro: walk_macro(*static_cast<const Macro&>(s).def, visit); break;
    case StmtKind::kCallBlock: {
      const auto& n = static_cast<const CallBlock&>(s);
      walk_expr(n.call.get(), soft, visit);
      walk_macro(*n.caller, visit);
      break;
    }
    case StmtKind::kFilterBlock: {
      const auto& n = static_cast<const FilterBlock&>(s);
      walk_expr(n.filter.get(), soft, visit);
      walk_body(n.body, false, visit);
      break;
    }
    case StmtKind::kWith: {
      const auto& n = static_cast<const With&>(s);
      for (const auto& v : n.values) walk_expr(v.get(), soft, visit);
      walk_body(n.body, false, visit);
      break;
    }
    case StmtKind::kInline: {
      const auto& n = static_cast<const Inline&>(s);
      walk_body(n.body, n.scope == InlineScope::kShared && soft, visit);
      break;
    }
    case StmtKind::kText: case StmtKind::kBreak: case StmtKind::kContinue: break;
  }
}

}  // namespace

void walk_body(const Body& body, bool soft, const ExprVisit& visit) {
  for (const auto& s : body) walk_stmt(*s, soft, visit);
}

}  // namespace hako::jinja::detail
