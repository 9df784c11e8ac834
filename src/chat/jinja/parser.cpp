// Statement parsing (see parser.h) and the two checks Jinja2 makes at
// compile time: unknown filters/tests outside soft frames, and which of
// caller/varargs/kwargs a macro body mentions.
#include "chat/jinja/parser.h"

#include <functional>
#include <utility>

#include "chat/jinja/ast_walk.h"
#include "chat/jinja/parser_impl.h"
#include "chat/jinja/scope_analysis.h"

namespace hako::jinja {
namespace detail {

using namespace ast;

namespace {

// Jinja2 rejects unknown filters/tests at compile time unless they sit in
// an if statement or conditional expression of the current frame.
void check_names(const Program& program) {
  walk_body(program.body, false, [](const Expr& e, bool soft) {
    if (soft) return;
    if (e.kind == ExprKind::kFilter && static_cast<const Filter&>(e).fn == nullptr) {
      throw_syntax_error("No filter named '" + static_cast<const Filter&>(e).name + "'.", e.pos);
    }
    if (e.kind == ExprKind::kTest && static_cast<const Test&>(e).fn == nullptr) {
      throw_syntax_error("No test named '" + static_cast<const Test&>(e).name + "'.", e.pos);
    }
  });
}

void scan_macro_names(MacroDef& def) {
  walk_body(def.body, false, [&def](const Expr& e, bool) {
    if (e.kind != ExprKind::kName) return;
    const std::string& n = static_cast<const Name&>(e).name;
    if (n == "caller") def.uses_caller = true;
    if (n == "varargs") def.uses_varargs = true;
    if (n == "kwargs") def.uses_kwargs = true;
  });
}

std::string join_tags(std::initializer_list<std::string_view> tags) {
  std::string out;
  size_t i = 0;
  for (std::string_view t : tags) {
    if (i > 0) out += (i + 1 == tags.size()) ? " or " : ", ";
    out += cat({"'", t, "'"});
    ++i;
  }
  return out;
}

}  // namespace

std::unique_ptr<Program> Parser::parse_program() {
  auto program = std::make_unique<Program>();
  program->body = subparse({});
  if (cur().type != TokenType::kEof) fail("unexpected '" + describe(cur()) + "'");
  check_names(*program);
  analyze_scopes(*program);
  return program;
}

Body Parser::subparse(std::initializer_list<std::string_view> end_tags) {
  DepthGuard guard(*this);
  open_blocks_.emplace_back(end_tags);
  struct Pop {
    std::vector<std::vector<std::string_view>>& v;
    ~Pop() { v.pop_back(); }
  } pop{open_blocks_};
  Body body;
  while (true) {
    const Token& t = cur();
    switch (t.type) {
      case TokenType::kData:
        body.push_back(std::make_unique<Text>(t.pos, t.value));
        next();
        break;
      case TokenType::kVariableBegin: {
        const SourcePos pos = next().pos;
        body.push_back(std::make_unique<Output>(pos, parse_tuple(TupleMode::kFull)));
        expect(TokenType::kVariableEnd);
        break;
      }
      case TokenType::kBlockBegin: {
        next();
        for (std::string_view tag : end_tags) {
          if (is_name(tag)) return body;
        }
        body.push_back(parse_statement());
        expect(TokenType::kBlockEnd);
        break;
      }
      case TokenType::kEof:
        if (end_tags.size() > 0) {
          fail("Unexpected end of template. Jinja was looking for the following tags: " + join_tags(end_tags) + ".");
        }
        return body;
      default:
        fail("unexpected '" + describe(t) + "'");
    }
  }
}

Body Parser::parse_statements(std::initializer_list<std::string_view> end_tags, Needle needle) {
  skip_op(":");
  expect(TokenType::kBlockEnd);
  Body body = subparse(end_tags);
  if (cur().type == TokenType::kEof) {
    fail("Unexpected end of template. Jinja was looking for the following tags: " + join_tags(end_tags) + ".");
  }
  if (needle == Needle::kConsume) next();
  return body;
}

StmtPtr Parser::parse_statement() {
  DepthGuard guard(*this);
  const Token& t = cur();
  if (t.type != TokenType::kName) fail("tag name expected");
  const std::string& tag = t.value;
  const SourcePos pos = t.pos;
  if (tag == "for") return parse_for();
  if (tag == "if") return parse_if();
  if (tag == "set") return parse_set();
  if (tag == "macro") return parse_macro();
  if (tag == "call") return parse_call_block();
  if (tag == "filter") return parse_filter_block();
  if (tag == "with") return parse_with();
  if (tag == "print") return parse_print();
  if (tag == "break" || tag == "continue") {
    if (loop_depth_ == 0) fail("'" + tag + "' outside of a loop");
    next();
    return std::make_unique<LoopControl>(tag == "break" ? StmtKind::kBreak : StmtKind::kContinue, pos);
  }
  if (tag == "generation") {
    next();
    auto node = std::make_unique<Inline>(pos, InlineScope::kOwn);
    node->body = parse_statements({"endgeneration"}, Needle::kConsume);
    return node;
  }
  if (tag == "block" || tag == "extends" || tag == "include" || tag == "import" || tag == "from" ||
      tag == "autoescape") {
    fail("tag '" + tag + "' is not supported in chat templates");
  }
  std::string msg = "Encountered unknown tag '" + tag + "'.";
  if (!open_blocks_.empty() && !open_blocks_.back().empty()) {
    const auto& tags = open_blocks_.back();
    msg += " Jinja was looking for the following tags: ";
    for (size_t i = 0; i < tags.size(); ++i) {
      if (i > 0) msg += (i + 1 == tags.size()) ? " or " : ", ";
      msg += cat({"'", tags[i], "'"});
    }
    msg += ".";
  }
  fail_at(msg, pos);
}

StmtPtr Parser::parse_for() {
  auto node = std::make_unique<For>(next().pos);
  node->target = parse_assign_target(false, false, {"in"});
  expect_name("in");
  node->iter = parse_tuple(TupleMode::kNoCondExpr, {"recursive"});
  if (skip_name("if")) node->filter = parse_expression();
  if (skip_name("recursive")) node->recursive = LoopRecursion::kYes;
  ++loop_depth_;
  node->body = parse_statements({"endfor", "else"}, Needle::kKeep);
  --loop_depth_;
  if (next().value == "else") node->else_body = parse_statements({"endfor"}, Needle::kConsume);
  return node;
}

StmtPtr Parser::parse_if() {
  auto root = std::make_unique<If>(next().pos);
  If* node = root.get();
  while (true) {
    node->test = parse_tuple(TupleMode::kNoCondExpr);
    node->body = parse_statements({"elif", "else", "endif"}, Needle::kKeep);
    const Token& t = next();
    if (t.value == "elif") {
      auto elif = std::make_unique<If>(t.pos);
      If* next_node = elif.get();
      node->else_body.push_back(std::move(elif));
      node = next_node;
      continue;
    }
    if (t.value == "else") node->else_body = parse_statements({"endif"}, Needle::kConsume);
    break;
  }
  return root;
}

StmtPtr Parser::parse_set() {
  const SourcePos pos = next().pos;
  Target target = parse_assign_target(false, true);
  if (skip_op("=")) {
    auto node = std::make_unique<Set>(pos);
    node->target = std::move(target);
    node->value = parse_tuple(TupleMode::kFull);
    return node;
  }
  auto node = std::make_unique<SetBlock>(pos);
  node->target = std::move(target);
  if (is_op("|")) node->filter = parse_filter_chain(nullptr, FilterStart::kAtPipe);
  const int saved_loops = loop_depth_;
  loop_depth_ = 0;
  node->body = parse_statements({"endset"}, Needle::kConsume);
  loop_depth_ = saved_loops;
  return node;
}

void Parser::parse_signature(MacroDef& def) {
  expect_op("(");
  while (!is_op(")")) {
    if (!def.params.empty()) expect_op(",");
    const Token& name = expect_name();
    def.params.push_back(name.value);
    if (skip_op("=")) {
      def.defaults.push_back(parse_expression());
    } else if (!def.defaults.empty()) {
      fail_at("non-default argument follows default argument", name.pos);
    }
  }
  expect_op(")");
}

StmtPtr Parser::parse_macro() {
  auto node = std::make_unique<Macro>(next().pos);
  node->def = std::make_shared<MacroDef>();
  node->def->pos = node->pos;
  node->def->name = expect_name().value;
  parse_signature(*node->def);
  const int saved_loops = loop_depth_;
  loop_depth_ = 0;
  node->def->body = parse_statements({"endmacro"}, Needle::kConsume);
  loop_depth_ = saved_loops;
  scan_macro_names(*node->def);
  return node;
}

StmtPtr Parser::parse_call_block() {
  auto node = std::make_unique<CallBlock>(next().pos);
  node->caller = std::make_shared<MacroDef>();
  node->caller->name = "caller";
  node->caller->pos = node->pos;
  if (is_op("(")) parse_signature(*node->caller);
  ExprPtr call = parse_expression();
  if (call->kind != ExprKind::kCall) fail_at("expected call", call->pos);
  node->call.reset(static_cast<Call*>(call.release()));
  const int saved_loops = loop_depth_;
  loop_depth_ = 0;
  node->caller->body = parse_statements({"endcall"}, Needle::kConsume);
  loop_depth_ = saved_loops;
  scan_macro_names(*node->caller);
  return node;
}

StmtPtr Parser::parse_filter_block() {
  auto node = std::make_unique<FilterBlock>(next().pos);
  node->filter = parse_filter_chain(nullptr, FilterStart::kAtName);
  node->body = parse_statements({"endfilter"}, Needle::kConsume);
  return node;
}

StmtPtr Parser::parse_with() {
  auto node = std::make_unique<With>(next().pos);
  while (cur().type != TokenType::kBlockEnd && cur().type != TokenType::kEof) {
    if (!node->targets.empty()) expect_op(",");
    node->targets.push_back(parse_assign_target(false, false));
    expect_op("=");
    node->values.push_back(parse_expression());
  }
  node->body = parse_statements({"endwith"}, Needle::kConsume);
  return node;
}

StmtPtr Parser::parse_print() {
  const SourcePos pos = next().pos;
  auto tuple = std::make_unique<Sequence>(ExprKind::kTuple, pos);
  while (cur().type != TokenType::kBlockEnd && cur().type != TokenType::kEof) {
    if (!tuple->items.empty()) expect_op(",");
    tuple->items.push_back(parse_expression());
  }
  // {% print a, b %} writes each expression; a single one prints as itself.
  auto scope = std::make_unique<Inline>(pos, InlineScope::kShared);
  for (auto& item : tuple->items) scope->body.push_back(std::make_unique<Output>(item->pos, std::move(item)));
  return scope;
}

Target Parser::to_target(const Expr& e) {
  Target t;
  t.pos = e.pos;
  if (e.kind == ExprKind::kName) {
    t.kind = Target::Kind::kName;
    t.name = static_cast<const Name&>(e).name;
    return t;
  }
  if (e.kind == ExprKind::kTuple) {
    t.kind = Target::Kind::kTuple;
    for (const auto& item : static_cast<const Sequence&>(e).items) t.items.push_back(to_target(*item));
    return t;
  }
  std::string what = e.kind == ExprKind::kConst ? "const" : e.kind == ExprKind::kGetAttr ? "getattr"
                     : e.kind == ExprKind::kGetItem ? "getitem" : e.kind == ExprKind::kCall ? "call" : "expression";
  fail_at("can't assign to '" + what + "'", e.pos);
}

Target Parser::parse_assign_target(bool name_only, bool with_namespace,
                                   std::initializer_list<std::string_view> extra_end) {
  if (name_only) {
    Target t;
    t.pos = cur().pos;
    t.name = expect_name().value;
    return t;
  }
  if (with_namespace && cur().type == TokenType::kName && look().type == TokenType::kOperator &&
      look().value == ".") {
    Target t;
    t.pos = cur().pos;
    t.kind = Target::Kind::kNamespaceAttr;
    t.name = next().value;
    next();
    t.attr = expect_name().value;
    return t;
  }
  ExprPtr e = parse_tuple(TupleMode::kSimplified, extra_end);
  return to_target(*e);
}

}  // namespace detail

std::unique_ptr<ast::Program> parse_or_throw(std::string_view source, const LexerOptions& options) {
  detail::Parser parser(tokenize_or_throw(source, options));
  return parser.parse_program();
}

}  // namespace hako::jinja
