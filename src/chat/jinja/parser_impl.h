// Internal: the Parser class shared by parser.cpp (statements) and
// parser_expr.cpp (expressions). Not part of the engine's interface.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "chat/jinja/ast.h"
#include "chat/jinja/lexer.h"
#include "chat/jinja/parser.h"

namespace hako::jinja::detail {

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : toks_(std::move(tokens)) {}
  std::unique_ptr<ast::Program> parse_program();

  // ---- expressions (parser_expr.cpp) ----
  ast::ExprPtr parse_expression(bool with_condexpr = true);
  // A comma-separated list: one expression alone, or a Tuple. `simplified`
  // parses primaries only (assignment targets).
  enum class TupleMode { kFull, kNoCondExpr, kSimplified };
  // kExplicit: inside "( )", where an empty tuple is allowed.
  enum class Parens { kNone, kExplicit };
  ast::ExprPtr parse_tuple(TupleMode mode, std::initializer_list<std::string_view> extra_end = {},
                           Parens parens = Parens::kNone);
  ast::ExprPtr parse_primary();
  ast::ExprPtr parse_postfix(ast::ExprPtr node);
  // kAtPipe: the stream is at "|"; kAtName: at the first filter's name
  // ({% filter name %} and {% set x | name %}).
  enum class FilterStart { kAtPipe, kAtName };
  ast::ExprPtr parse_filter_chain(ast::ExprPtr node, FilterStart start);
  void parse_call_args(ast::CallArguments& out);

  // ---- token stream ----
  const Token& cur() const { return toks_[i_]; }
  const Token& look() const { return toks_[i_ + 1 < toks_.size() ? i_ + 1 : i_]; }
  const Token& next() {
    const Token& t = toks_[i_];
    if (i_ + 1 < toks_.size()) ++i_;
    return t;
  }
  bool is_op(std::string_view op) const { return cur().type == TokenType::kOperator && cur().value == op; }
  bool is_name(std::string_view name) const { return cur().type == TokenType::kName && cur().value == name; }
  bool skip_op(std::string_view op);
  bool skip_name(std::string_view name);
  void expect_op(std::string_view op);
  const Token& expect_name();
  void expect_name(std::string_view name);
  void expect(TokenType type);
  [[noreturn]] void fail(const std::string& msg) const { throw_syntax_error(msg, cur().pos); }
  [[noreturn]] void fail_at(const std::string& msg, SourcePos pos) const { throw_syntax_error(msg, pos); }
  std::string describe(const Token& t) const;

  // Nesting guard for recursion in both statement and expression parsing.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& p) : p_(p) {
      if (++p_.depth_ > kMaxDepth) p_.fail("template nested too deeply (limit " + std::to_string(kMaxDepth) + ")");
    }
    ~DepthGuard() { --p_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& p_;
  };
  static constexpr int kMaxDepth = kMaxParseDepth;

 private:
  // ---- statements (parser.cpp) ----
  ast::Body subparse(std::initializer_list<std::string_view> end_tags);
  // kConsume: also read the end tag's name (the caller then expects "%}").
  enum class Needle { kKeep, kConsume };
  ast::Body parse_statements(std::initializer_list<std::string_view> end_tags, Needle needle);
  ast::StmtPtr parse_statement();
  ast::StmtPtr parse_for();
  ast::StmtPtr parse_if();
  ast::StmtPtr parse_set();
  ast::StmtPtr parse_macro();
  ast::StmtPtr parse_call_block();
  ast::StmtPtr parse_filter_block();
  ast::StmtPtr parse_with();
  ast::StmtPtr parse_print();
  void parse_signature(ast::MacroDef& def);
  ast::Target parse_assign_target(bool name_only, bool with_namespace,
                                  std::initializer_list<std::string_view> extra_end = {});
  ast::Target to_target(const ast::Expr& e);

  // ---- expressions (parser_expr.cpp) ----
  ast::ExprPtr parse_condexpr();
  ast::ExprPtr parse_or();
  ast::ExprPtr parse_and();
  ast::ExprPtr parse_not();
  ast::ExprPtr parse_compare();
  ast::ExprPtr parse_math1();
  ast::ExprPtr parse_concat();
  ast::ExprPtr parse_math2();
  ast::ExprPtr parse_pow();
  ast::ExprPtr parse_unary(bool with_filter);
  ast::ExprPtr parse_filter_expr(ast::ExprPtr node);
  ast::ExprPtr parse_subscript(ast::ExprPtr node);
  ast::ExprPtr parse_subscribed();
  ast::ExprPtr parse_test(ast::ExprPtr node);
  ast::ExprPtr parse_list();
  ast::ExprPtr parse_dict();
  bool is_tuple_end(std::initializer_list<std::string_view> extra_end) const;

 public:
  int loop_depth_ = 0;  // for break/continue
  // End tags of the blocks being parsed, innermost last (for messages).
  std::vector<std::vector<std::string_view>> open_blocks_;

 private:
  std::vector<Token> toks_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace hako::jinja::detail
