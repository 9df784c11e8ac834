// The syntax tree the parser builds and the interpreter walks: expressions
// (Expr subclasses, tagged by ExprKind) and statements (Stmt subclasses,
// tagged by StmtKind), mirroring jinja2/nodes.py. Nodes own their children
// (unique_ptr); a Program owns the whole tree and is immutable after parsing,
// so one parsed template can be rendered from several threads at once.
// Filters and tests are resolved to function pointers at parse time.
// Not here: parsing rules (parser.cpp) or evaluation (interpreter.cpp).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chat/jinja/builtins.h"
#include "chat/jinja/jinja_error.h"
#include "chat/jinja/value.h"

namespace hako::jinja::ast {

enum class ExprKind : uint8_t {
  kConst, kName, kList, kTuple, kDict, kGetAttr, kGetItem, kSlice, kCall,
  kFilter, kTest, kUnary, kBinary, kConcat, kAnd, kOr, kCompare, kCondExpr,
};

struct Expr {
  Expr(ExprKind k, SourcePos p) : kind(k), pos(p) {}
  virtual ~Expr() = default;
  ExprKind kind;
  SourcePos pos;
};
using ExprPtr = std::unique_ptr<Expr>;

struct Const : Expr {
  Const(SourcePos p, Value v) : Expr(ExprKind::kConst, p), value(std::move(v)) {}
  Value value;
};

struct Name : Expr {
  Name(SourcePos p, std::string n) : Expr(ExprKind::kName, p), name(std::move(n)) {}
  std::string name;
};

// kList or kTuple.
struct Sequence : Expr {
  Sequence(ExprKind k, SourcePos p) : Expr(k, p) {}
  std::vector<ExprPtr> items;
};

struct DictLiteral : Expr {
  explicit DictLiteral(SourcePos p) : Expr(ExprKind::kDict, p) {}
  std::vector<std::pair<ExprPtr, ExprPtr>> items;
};

struct GetAttr : Expr {
  GetAttr(SourcePos p, ExprPtr o, std::string a)
      : Expr(ExprKind::kGetAttr, p), obj(std::move(o)), attr(std::move(a)) {}
  ExprPtr obj;
  std::string attr;
};

// obj[key]; key may be a Slice node.
struct GetItem : Expr {
  GetItem(SourcePos p, ExprPtr o, ExprPtr k) : Expr(ExprKind::kGetItem, p), obj(std::move(o)), key(std::move(k)) {}
  ExprPtr obj;
  ExprPtr key;
};

// start:stop:step inside a subscript; absent parts are null.
struct Slice : Expr {
  explicit Slice(SourcePos p) : Expr(ExprKind::kSlice, p) {}
  ExprPtr start, stop, step;
};

struct CallArguments {
  std::vector<ExprPtr> args;
  std::vector<std::pair<std::string, ExprPtr>> kwargs;
  ExprPtr dyn_args;    // *args
  ExprPtr dyn_kwargs;  // **kwargs
};

struct Call : Expr {
  Call(SourcePos p, ExprPtr c) : Expr(ExprKind::kCall, p), callee(std::move(c)) {}
  ExprPtr callee;
  CallArguments args;
};

// operand|name(args). operand is null for the body of a filter block.
// fn is null when the filter is unknown inside an if (raises when reached).
struct Filter : Expr {
  Filter(SourcePos p, ExprPtr o, std::string n) : Expr(ExprKind::kFilter, p), operand(std::move(o)), name(std::move(n)) {}
  ExprPtr operand;
  std::string name;
  FilterFn fn = nullptr;
  CallArguments args;
};

struct Test : Expr {
  Test(SourcePos p, ExprPtr o, std::string n) : Expr(ExprKind::kTest, p), operand(std::move(o)), name(std::move(n)) {}
  ExprPtr operand;
  std::string name;
  TestFn fn = nullptr;
  CallArguments args;
};

enum class UnaryOp : uint8_t { kNot, kNeg, kPos };
struct Unary : Expr {
  Unary(SourcePos p, UnaryOp o, ExprPtr e) : Expr(ExprKind::kUnary, p), op(o), operand(std::move(e)) {}
  UnaryOp op;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };
// kBinary (op), kAnd, kOr.
struct Binary : Expr {
  Binary(ExprKind k, SourcePos p, BinaryOp o, ExprPtr l, ExprPtr r)
      : Expr(k, p), op(o), lhs(std::move(l)), rhs(std::move(r)) {}
  BinaryOp op;
  ExprPtr lhs, rhs;
};

// a ~ b ~ c: str() of each, joined.
struct Concat : Expr {
  explicit Concat(SourcePos p) : Expr(ExprKind::kConcat, p) {}
  std::vector<ExprPtr> parts;
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };
// first op1 e1 op2 e2 ... (chained like Python).
struct Compare : Expr {
  Compare(SourcePos p, ExprPtr f) : Expr(ExprKind::kCompare, p), first(std::move(f)) {}
  ExprPtr first;
  std::vector<std::pair<CompareOp, ExprPtr>> rest;
};

// then_expr if test else else_expr (else_expr may be null: undefined).
struct CondExpr : Expr {
  explicit CondExpr(SourcePos p) : Expr(ExprKind::kCondExpr, p) {}
  ExprPtr test, then_expr, else_expr;
};

// ---- statements ----

enum class StmtKind : uint8_t {
  kText, kOutput, kIf, kFor, kSet, kSetBlock, kMacro, kCallBlock, kFilterBlock,
  kWith, kBreak, kContinue, kInline,
};

struct Stmt {
  Stmt(StmtKind k, SourcePos p) : kind(k), pos(p) {}
  virtual ~Stmt() = default;
  StmtKind kind;
  SourcePos pos;
};
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

// Names that are undefined when a frame (template, loop iteration, macro
// call, block body ...) starts, even if an outer scope or the context has
// them: Jinja2 compiles a name assigned in a frame without being read there
// first to a local that starts out "missing", and nested frames see that
// local (scope_analysis.h computes these).
using UndefinedAtEntry = std::vector<std::string>;

// An assignment target: a name, a namespace attribute (ns.attr) or a tuple
// of targets (for a, b in ...).
struct Target {
  enum class Kind : uint8_t { kName, kNamespaceAttr, kTuple };
  Kind kind = Kind::kName;
  std::string name;
  std::string attr;
  std::vector<Target> items;
  SourcePos pos;
};

struct Text : Stmt {
  Text(SourcePos p, std::string t) : Stmt(StmtKind::kText, p), text(std::move(t)) {}
  std::string text;
};

// {{ expr }} (and {% print expr %}).
struct Output : Stmt {
  Output(SourcePos p, ExprPtr e) : Stmt(StmtKind::kOutput, p), expr(std::move(e)) {}
  ExprPtr expr;
};

// elif chains are nested Ifs in else_body.
struct If : Stmt {
  explicit If(SourcePos p) : Stmt(StmtKind::kIf, p) {}
  ExprPtr test;
  Body body;
  Body else_body;
};

enum class LoopRecursion : uint8_t { kNo, kYes };
struct For : Stmt {
  explicit For(SourcePos p) : Stmt(StmtKind::kFor, p) {}
  Target target;
  ExprPtr iter;
  ExprPtr filter;  // `for x in xs if cond`; may be null
  Body body;
  Body else_body;
  LoopRecursion recursive = LoopRecursion::kNo;
  UndefinedAtEntry body_undefined;
  UndefinedAtEntry else_undefined;
};

struct Set : Stmt {
  explicit Set(SourcePos p) : Stmt(StmtKind::kSet, p) {}
  Target target;
  ExprPtr value;
};

// {% set x | filters %}body{% endset %}; filter is a Filter chain whose
// innermost operand is null (the rendered body), or null.
struct SetBlock : Stmt {
  explicit SetBlock(SourcePos p) : Stmt(StmtKind::kSetBlock, p) {}
  Target target;
  ExprPtr filter;
  Body body;
  UndefinedAtEntry body_undefined;
};

// A macro or a call block's caller.
struct MacroDef {
  std::string name;
  std::vector<std::string> params;
  std::vector<ExprPtr> defaults;  // for the last defaults.size() params
  Body body;
  bool uses_caller = false;   // body mentions `caller`
  bool uses_varargs = false;  // body mentions `varargs`
  bool uses_kwargs = false;   // body mentions `kwargs`
  SourcePos pos;
  UndefinedAtEntry body_undefined;
};

struct Macro : Stmt {
  explicit Macro(SourcePos p) : Stmt(StmtKind::kMacro, p) {}
  std::shared_ptr<MacroDef> def;
};

struct CallBlock : Stmt {
  explicit CallBlock(SourcePos p) : Stmt(StmtKind::kCallBlock, p) {}
  std::unique_ptr<Call> call;
  std::shared_ptr<MacroDef> caller;
};

struct FilterBlock : Stmt {
  explicit FilterBlock(SourcePos p) : Stmt(StmtKind::kFilterBlock, p) {}
  ExprPtr filter;  // Filter chain with a null innermost operand
  Body body;
  UndefinedAtEntry body_undefined;
};

struct With : Stmt {
  explicit With(SourcePos p) : Stmt(StmtKind::kWith, p) {}
  std::vector<Target> targets;
  std::vector<ExprPtr> values;
  Body body;
  UndefinedAtEntry body_undefined;
};

struct LoopControl : Stmt {
  LoopControl(StmtKind k, SourcePos p) : Stmt(k, p) {}
};

// A body rendered in place: {% print a, b %} (in the current scope) or
// {% generation %}...{% endgeneration %} (a scope of its own, as Jinja2
// compiles it to a call block).
enum class InlineScope : uint8_t { kShared, kOwn };
struct Inline : Stmt {
  Inline(SourcePos p, InlineScope s) : Stmt(StmtKind::kInline, p), scope(s) {}
  InlineScope scope;
  Body body;
  UndefinedAtEntry body_undefined;
};

struct Program {
  Body body;
  UndefinedAtEntry body_undefined;
};

}  // namespace hako::jinja::ast
