// Expression parsing (see parser.h): jinja2/parser.py's precedence climb,
// condexpr > or > and > not > compare > +,- > ~ > *,/,//,% > ** > unary >
// primary with postfix (.attr, [key], (call)) and filters/tests.
#include <utility>

#include "chat/jinja/parser_impl.h"

namespace hako::jinja::detail {

using namespace ast;

bool Parser::skip_op(std::string_view op) {
  if (!is_op(op)) return false;
  next();
  return true;
}

bool Parser::skip_name(std::string_view name) {
  if (!is_name(name)) return false;
  next();
  return true;
}

std::string Parser::describe(const Token& t) const {
  switch (t.type) {
    case TokenType::kEof: return "end of template";
    case TokenType::kVariableEnd: return "end of print statement";
    case TokenType::kBlockEnd: return "end of statement block";
    case TokenType::kVariableBegin: return "begin of print statement";
    case TokenType::kBlockBegin: return "begin of statement block";
    case TokenType::kData: return "template data";
    case TokenType::kString: return "string";
    case TokenType::kInteger: return "integer";
    case TokenType::kFloat: return "float";
    default: return t.value;
  }
}

void Parser::expect_op(std::string_view op) {
  if (!is_op(op)) fail("expected token '" + std::string(op) + "', got '" + describe(cur()) + "'");
  next();
}

const Token& Parser::expect_name() {
  if (cur().type != TokenType::kName) fail("expected token 'name', got '" + describe(cur()) + "'");
  return next();
}

void Parser::expect_name(std::string_view name) {
  if (!is_name(name)) fail("expected token '" + std::string(name) + "', got '" + describe(cur()) + "'");
  next();
}

void Parser::expect(TokenType type) {
  if (cur().type == type) {
    next();
    return;
  }
  if (cur().type == TokenType::kEof) fail("unexpected end of template");
  Token want;
  want.type = type;
  fail("expected token '" + describe(want) + "', got '" + describe(cur()) + "'");
}

ExprPtr Parser::parse_expression(bool with_condexpr) {
  DepthGuard guard(*this);
  return with_condexpr ? parse_condexpr() : parse_or();
}

ExprPtr Parser::parse_condexpr() {
  ExprPtr expr1 = parse_or();
  while (is_name("if")) {
    const SourcePos pos = cur().pos;
    next();
    auto node = std::make_unique<CondExpr>(pos);
    node->test = parse_or();
    if (skip_name("else")) node->else_expr = parse_condexpr();
    node->then_expr = std::move(expr1);
    expr1 = std::move(node);
  }
  return expr1;
}

ExprPtr Parser::parse_or() {
  ExprPtr left = parse_and();
  while (is_name("or")) {
    const SourcePos pos = next().pos;
    left = std::make_unique<Binary>(ExprKind::kOr, pos, BinaryOp::kAdd, std::move(left), parse_and());
  }
  return left;
}

ExprPtr Parser::parse_and() {
  ExprPtr left = parse_not();
  while (is_name("and")) {
    const SourcePos pos = next().pos;
    left = std::make_unique<Binary>(ExprKind::kAnd, pos, BinaryOp::kAdd, std::move(left), parse_not());
  }
  return left;
}

ExprPtr Parser::parse_not() {
  if (is_name("not")) {
    DepthGuard guard(*this);
    const SourcePos pos = next().pos;
    return std::make_unique<Unary>(pos, UnaryOp::kNot, parse_not());
  }
  return parse_compare();
}

ExprPtr Parser::parse_compare() {
  const SourcePos pos = cur().pos;
  ExprPtr expr = parse_math1();
  std::unique_ptr<Compare> cmp;
  while (true) {
    CompareOp op;
    if (is_op("==")) op = CompareOp::kEq;
    else if (is_op("!=")) op = CompareOp::kNe;
    else if (is_op("<")) op = CompareOp::kLt;
    else if (is_op("<=")) op = CompareOp::kLe;
    else if (is_op(">")) op = CompareOp::kGt;
    else if (is_op(">=")) op = CompareOp::kGe;
    else if (is_name("in")) op = CompareOp::kIn;
    else if (is_name("not") && look().type == TokenType::kName && look().value == "in") {
      next();
      op = CompareOp::kNotIn;
    } else {
      break;
    }
    next();
    if (!cmp) cmp = std::make_unique<Compare>(pos, std::move(expr));
    cmp->rest.emplace_back(op, parse_math1());
  }
  if (cmp) return cmp;
  return expr;
}

ExprPtr Parser::parse_math1() {
  ExprPtr left = parse_concat();
  while (is_op("+") || is_op("-")) {
    const BinaryOp op = is_op("+") ? BinaryOp::kAdd : BinaryOp::kSub;
    const SourcePos pos = next().pos;
    left = std::make_unique<Binary>(ExprKind::kBinary, pos, op, std::move(left), parse_concat());
  }
  return left;
}

ExprPtr Parser::parse_concat() {
  const SourcePos pos = cur().pos;
  ExprPtr first = parse_math2();
  if (!is_op("~")) return first;
  auto node = std::make_unique<Concat>(pos);
  node->parts.push_back(std::move(first));
  while (skip_op("~")) node->parts.push_back(parse_math2());
  return node;
}

ExprPtr Parser::parse_math2() {
  ExprPtr left = parse_pow();
  while (true) {
    BinaryOp op;
    if (is_op("*")) op = BinaryOp::kMul;
    else if (is_op("/")) op = BinaryOp::kDiv;
    else if (is_op("//")) op = BinaryOp::kFloorDiv;
    else if (is_op("%")) op = BinaryOp::kMod;
    else break;
    const SourcePos pos = next().pos;
    left = std::make_unique<Binary>(ExprKind::kBinary, pos, op, std::move(left), parse_pow());
  }
  return left;
}

ExprPtr Parser::parse_pow() {
  ExprPtr left = parse_unary(true);
  while (is_op("**")) {
    const SourcePos pos = next().pos;
    left = std::make_unique<Binary>(ExprKind::kBinary, pos, BinaryOp::kPow, std::move(left), parse_unary(true));
  }
  return left;
}

ExprPtr Parser::parse_unary(bool with_filter) {
  DepthGuard guard(*this);
  ExprPtr node;
  const SourcePos pos = cur().pos;
  if (is_op("-") || is_op("+")) {
    const UnaryOp op = is_op("-") ? UnaryOp::kNeg : UnaryOp::kPos;
    next();
    node = std::make_unique<Unary>(pos, op, parse_unary(false));
  } else {
    node = parse_primary();
  }
  node = parse_postfix(std::move(node));
  if (with_filter) node = parse_filter_expr(std::move(node));
  return node;
}

ExprPtr Parser::parse_primary() {
  DepthGuard guard(*this);
  const Token& t = cur();
  const SourcePos pos = t.pos;
  switch (t.type) {
    case TokenType::kName: {
      const std::string& v = t.value;
      ExprPtr node;
      if (v == "true" || v == "True") node = std::make_unique<Const>(pos, Value::boolean(true));
      else if (v == "false" || v == "False") node = std::make_unique<Const>(pos, Value::boolean(false));
      else if (v == "none" || v == "None") node = std::make_unique<Const>(pos, Value::none());
      else node = std::make_unique<Name>(pos, v);
      next();
      return node;
    }
    case TokenType::kString: {
      std::string s = next().value;
      while (cur().type == TokenType::kString) s += next().value;  // adjacent literals join
      return std::make_unique<Const>(pos, Value::string(std::move(s)));
    }
    case TokenType::kInteger: return std::make_unique<Const>(pos, Value::integer(next().int_value));
    case TokenType::kFloat: return std::make_unique<Const>(pos, Value::floating(next().float_value));
    case TokenType::kOperator:
      if (t.value == "(") {
        next();
        ExprPtr node = parse_tuple(TupleMode::kFull, {}, Parens::kExplicit);
        expect_op(")");
        return node;
      }
      if (t.value == "[") return parse_list();
      if (t.value == "{") return parse_dict();
      break;
    default: break;
  }
  if (t.type == TokenType::kEof) fail("unexpected end of template");
  fail("unexpected '" + describe(t) + "'");
}

bool Parser::is_tuple_end(std::initializer_list<std::string_view> extra_end) const {
  const Token& t = cur();
  if (t.type == TokenType::kVariableEnd || t.type == TokenType::kBlockEnd || t.type == TokenType::kEof) return true;
  if (is_op(")")) return true;
  for (std::string_view name : extra_end) {
    if (is_name(name)) return true;
  }
  return false;
}

ExprPtr Parser::parse_tuple(TupleMode mode, std::initializer_list<std::string_view> extra_end, Parens parens) {
  DepthGuard guard(*this);
  const SourcePos pos = cur().pos;
  std::vector<ExprPtr> items;
  bool is_tuple = false;
  while (true) {
    if (!items.empty()) expect_op(",");
    if (is_tuple_end(extra_end)) break;
    switch (mode) {
      case TupleMode::kFull: items.push_back(parse_expression(true)); break;
      case TupleMode::kNoCondExpr: items.push_back(parse_expression(false)); break;
      case TupleMode::kSimplified: items.push_back(parse_primary()); break;
    }
    if (is_op(",")) {
      is_tuple = true;
    } else {
      break;
    }
  }
  if (!is_tuple) {
    if (!items.empty()) return std::move(items[0]);
    if (parens == Parens::kNone) fail("Expected an expression, got '" + describe(cur()) + "'");
  }
  auto node = std::make_unique<Sequence>(ExprKind::kTuple, pos);
  node->items = std::move(items);
  return node;
}

ExprPtr Parser::parse_list() {
  auto node = std::make_unique<Sequence>(ExprKind::kList, cur().pos);
  expect_op("[");
  while (!is_op("]")) {
    if (!node->items.empty()) expect_op(",");
    if (is_op("]")) break;
    node->items.push_back(parse_expression());
  }
  expect_op("]");
  return node;
}

ExprPtr Parser::parse_dict() {
  auto node = std::make_unique<DictLiteral>(cur().pos);
  expect_op("{");
  while (!is_op("}")) {
    if (!node->items.empty()) expect_op(",");
    if (is_op("}")) break;
    ExprPtr key = parse_expression();
    expect_op(":");
    node->items.emplace_back(std::move(key), parse_expression());
  }
  expect_op("}");
  return node;
}

ExprPtr Parser::parse_postfix(ExprPtr node) {
  while (true) {
    if (is_op(".") || is_op("[")) {
      node = parse_subscript(std::move(node));
    } else if (is_op("(")) {
      auto call = std::make_unique<Call>(node->pos, std::move(node));
      parse_call_args(call->args);
      node = std::move(call);
    } else {
      return node;
    }
  }
}

ExprPtr Parser::parse_filter_expr(ExprPtr node) {
  while (true) {
    if (is_op("|")) {
      node = parse_filter_chain(std::move(node), FilterStart::kAtPipe);
    } else if (is_name("is")) {
      node = parse_test(std::move(node));
    } else if (is_op("(")) {
      auto call = std::make_unique<Call>(node->pos, std::move(node));
      parse_call_args(call->args);
      node = std::move(call);
    } else {
      return node;
    }
  }
}

ExprPtr Parser::parse_subscript(ExprPtr node) {
  DepthGuard guard(*this);
  const Token& t = next();
  const SourcePos pos = t.pos;
  if (t.value == ".") {
    const Token& attr = cur();
    if (attr.type == TokenType::kName) {
      std::string name = next().value;
      return std::make_unique<GetAttr>(pos, std::move(node), std::move(name));
    }
    if (attr.type != TokenType::kInteger) fail("expected name or number");
    const int64_t index = next().int_value;
    return std::make_unique<GetItem>(pos, std::move(node), std::make_unique<Const>(pos, Value::integer(index)));
  }
  std::vector<ExprPtr> args;
  while (!is_op("]")) {
    if (!args.empty()) expect_op(",");
    args.push_back(parse_subscribed());
  }
  expect_op("]");
  if (args.size() == 1) return std::make_unique<GetItem>(pos, std::move(node), std::move(args[0]));
  auto tuple = std::make_unique<Sequence>(ExprKind::kTuple, pos);
  tuple->items = std::move(args);
  return std::make_unique<GetItem>(pos, std::move(node), std::move(tuple));
}

ExprPtr Parser::parse_subscribed() {
  const SourcePos pos = cur().pos;
  auto slice = std::make_unique<Slice>(pos);
  if (is_op(":")) {
    next();
  } else {
    ExprPtr first = parse_expression();
    if (!is_op(":")) return first;
    next();
    slice->start = std::move(first);
  }
  if (!is_op(":") && !is_op("]") && !is_op(",")) slice->stop = parse_expression();
  if (skip_op(":")) {
    if (!is_op("]") && !is_op(",")) slice->step = parse_expression();
  }
  return slice;
}

void Parser::parse_call_args(CallArguments& out) {
  DepthGuard guard(*this);
  const SourcePos pos = cur().pos;
  expect_op("(");
  auto ensure = [&](bool ok) {
    if (!ok) fail_at("invalid syntax for function call expression", pos);
  };
  bool require_comma = false;
  while (!is_op(")")) {
    if (require_comma) {
      expect_op(",");
      if (is_op(")")) break;
    }
    if (is_op("*")) {
      ensure(!out.dyn_args && !out.dyn_kwargs);
      next();
      out.dyn_args = parse_expression();
    } else if (is_op("**")) {
      ensure(!out.dyn_kwargs);
      next();
      out.dyn_kwargs = parse_expression();
    } else if (cur().type == TokenType::kName && look().type == TokenType::kOperator && look().value == "=") {
      ensure(!out.dyn_kwargs);
      std::string key = next().value;
      next();
      out.kwargs.emplace_back(std::move(key), parse_expression());
    } else {
      ensure(!out.dyn_args && !out.dyn_kwargs && out.kwargs.empty());
      out.args.push_back(parse_expression());
    }
    require_comma = true;
  }
  expect_op(")");
}

ExprPtr Parser::parse_filter_chain(ExprPtr node, FilterStart start) {
  bool start_inline = start == FilterStart::kAtName;
  while (is_op("|") || start_inline) {
    if (!start_inline) next();
    start_inline = false;
    const Token& name_tok = expect_name();
    const SourcePos pos = name_tok.pos;
    std::string name = name_tok.value;
    while (is_op(".")) {
      next();
      name += "." + expect_name().value;
    }
    auto filter = std::make_unique<Filter>(pos, std::move(node), name);
    filter->fn = find_filter(name);  // unknown: checked by check_names()
    if (is_op("(")) parse_call_args(filter->args);
    node = std::move(filter);
  }
  return node;
}

ExprPtr Parser::parse_test(ExprPtr node) {
  const SourcePos pos = next().pos;  // 'is'
  const bool negated = skip_name("not");
  std::string name = expect_name().value;
  while (is_op(".")) {
    next();
    name += "." + expect_name().value;
  }
  auto test = std::make_unique<Test>(pos, std::move(node), name);
  test->fn = find_test(name);  // unknown: checked by check_names()
  const Token& t = cur();
  const bool arg_start = t.type == TokenType::kName || t.type == TokenType::kString ||
                         t.type == TokenType::kInteger || t.type == TokenType::kFloat ||
                         (t.type == TokenType::kOperator && (t.value == "(" || t.value == "[" || t.value == "{"));
  if (is_op("(")) {
    parse_call_args(test->args);
  } else if (arg_start && !is_name("else") && !is_name("or") && !is_name("and")) {
    if (is_name("is")) fail("You cannot chain multiple tests with is");
    test->args.args.push_back(parse_postfix(parse_primary()));
  }
  if (negated) return std::make_unique<Unary>(pos, UnaryOp::kNot, std::move(test));
  return test;
}

}  // namespace hako::jinja::detail
