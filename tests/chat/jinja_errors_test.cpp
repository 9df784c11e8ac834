// Error reporting and resource limits of the Jinja engine: syntax errors
// name line:col and the reason, runtime errors carry the position of the
// construct that failed and the Python exception class, raise_exception's
// message comes through verbatim, and hostile templates (runaway recursion,
// loops, string doubling, deep or exponentially shared values) end in a
// LimitError quickly instead of crashing, hanging or exhausting memory.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/chat_template.h"
#include "chat/jinja/template.h"

namespace hako {
namespace {

using jinja::ErrorClass;
using jinja::TemplateError;

const nlohmann::ordered_json kEmpty = nlohmann::ordered_json::object();

TemplateError parse_error(const std::string& source) {
  try {
    jinja::Template::parse_or_throw(source);
  } catch (const TemplateError& e) {
    return e;
  }
  ADD_FAILURE() << "parsed without error: " << source;
  return TemplateError(ErrorClass::kTemplateSyntaxError, "none");
}

TemplateError render_error(const std::string& source, const jinja::Options& options = {},
                           const nlohmann::ordered_json& context = kEmpty) {
  try {
    jinja::Template::parse_or_throw(source, options).render_or_throw(context);
  } catch (const TemplateError& e) {
    return e;
  }
  ADD_FAILURE() << "rendered without error: " << source;
  return TemplateError(ErrorClass::kTemplateError, "none");
}

struct SyntaxCase {
  const char* source;
  int line;
  int col;
  const char* message;  // expected substring of the message
};

TEST(JinjaErrors, SyntaxErrorsNameLineColumnAndReason) {
  const SyntaxCase cases[] = {
      {"{% if x %}never closed", 1, 23, "Unexpected end of template. Jinja was looking for the following tags: "
                                        "'elif', 'else' or 'endif'."},
      {"line one\n{{ x + }}", 2, 8, "unexpected 'end of print statement'"},
      {"ok\n  {% frobnicate %}", 2, 6, "Encountered unknown tag 'frobnicate'."},
      {"{% for x in y %}{% endif %}", 1, 20,
       "Encountered unknown tag 'endif'. Jinja was looking for the following tags: 'endfor' or 'else'."},
      {"{{ x | no_such_filter }}", 1, 8, "No filter named 'no_such_filter'."},
      {"{{ x is no_such_test }}", 1, 6, "No test named 'no_such_test'."},
      {"{{ 'abc }}", 1, 4, "unterminated string literal"},
      {"{{ a @ b }}", 1, 6, "unexpected char '@'"},
      {"日本語{{ a ) }}", 1, 9, "unexpected ')'"},  // columns count code points
      {"{% break %}", 1, 4, "'break' outside of a loop"},
      {"{% macro m(a=1, b) %}{% endmacro %}", 1, 17, "non-default argument follows default argument"},
      {"{# never closed", 1, 1, "Missing end of comment tag"},
      {"{% raw %}never closed", 1, 1, "Missing end of raw directive"},
      {"{% set 1 = 2 %}", 1, 8, "can't assign to 'const'"},
      {"{% include 'x.jinja' %}", 1, 4, "tag 'include' is not supported"},
      {"{{ '\\x4' }}", 1, 5, "truncated \\x escape"},
  };
  for (const SyntaxCase& c : cases) {
    SCOPED_TRACE(c.source);
    const TemplateError e = parse_error(c.source);
    EXPECT_EQ(e.error_class(), ErrorClass::kTemplateSyntaxError);
    EXPECT_NE(e.message().find(c.message), std::string::npos) << e.what();
    EXPECT_EQ(e.pos().line, c.line) << e.what();
    EXPECT_EQ(e.pos().col, c.col) << e.what();
    const std::string prefix = "template:" + std::to_string(c.line) + ":" + std::to_string(c.col) + ": ";
    EXPECT_EQ(std::string(e.what()).rfind(prefix, 0), 0u) << e.what();
  }
}

TEST(JinjaErrors, DeepNestingIsASyntaxErrorNotAStackOverflow) {
  const std::string deep = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
  EXPECT_NE(parse_error(deep).message().find("nested too deeply"), std::string::npos);
  std::string blocks;
  for (int i = 0; i < 3000; ++i) blocks += "{% if x %}";
  EXPECT_NE(parse_error(blocks).message().find("nested too deeply"), std::string::npos);
}

TEST(JinjaErrors, RuntimeErrorsCarryPositionAndPythonClass) {
  const TemplateError undefined = render_error("a\nb {{ msg.content.strip() }}");
  EXPECT_EQ(undefined.error_class(), ErrorClass::kUndefinedError);
  EXPECT_EQ(undefined.message(), "'msg' is undefined");
  EXPECT_EQ(undefined.pos().line, 2);

  const TemplateError raised =
      render_error("{% if true %}\n  {{ raise_exception('Conversation roles must alternate user/assistant') }}\n{% endif %}");
  EXPECT_EQ(raised.error_class(), ErrorClass::kTemplateError);
  EXPECT_EQ(raised.message(), "Conversation roles must alternate user/assistant");
  EXPECT_EQ(raised.pos().line, 2);
  EXPECT_STREQ(raised.what(), "template:2:6: TemplateError: Conversation roles must alternate user/assistant");

  EXPECT_EQ(render_error("{{ 1 / 0 }}").error_class(), ErrorClass::kZeroDivisionError);
  EXPECT_EQ(render_error("{{ 'a' + 1 }}").message(), "can only concatenate str (not \"int\") to str");
  EXPECT_EQ(render_error("{% for x in none %}{% endfor %}").message(), "'NoneType' object is not iterable");
  EXPECT_EQ(render_error("{% set l = [] %}{{ l.append(1) }}").error_class(), ErrorClass::kSecurityError);
  EXPECT_EQ(render_error("{{ x|from_json if true }}").message(), "No filter named 'from_json' found.");
  // A template error is a hako::Error, so callers need catch only that.
  EXPECT_THROW(jinja::Template::parse_or_throw("{{ x ").render_or_throw(kEmpty), hako::Error);
}

jinja::Options tight_limits() {
  jinja::Options o;
  o.limits.max_steps = 200'000;
  o.limits.max_output_bytes = size_t{1} << 20;
  return o;
}

TEST(JinjaLimits, HostileTemplatesEndInLimitErrors) {
  const char* hostile[] = {
      // unbounded macro recursion
      "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
      // 10^10 loop iterations
      "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
      // a string doubling 64 times
      "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
      // repetition far beyond the size limit
      "{{ 'x' * 1000000000000 }}",
      "{{ [1, 2] * 100000000000 }}",
      // output larger than the limit
      "{% for i in range(100000) %}{{ 'y' * 100 }}{% endfor %}",
      // a list sharing itself 2^60 times, serialised and compared
      "{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l|tojson }}",
      "{% set ns = namespace(l=[1], m=[1]) %}{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}"
      "{% set ns.m = [ns.m, ns.m] %}{% endfor %}{{ ns.l == ns.m }}",
      // a list nested 5000 deep, printed
      "{% set ns = namespace(l=[]) %}{% for i in range(5000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l }}",
  };
  for (const char* source : hostile) {
    SCOPED_TRACE(source);
    const auto start = std::chrono::steady_clock::now();
    const TemplateError e = render_error(source, tight_limits());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(e.error_class(), ErrorClass::kLimitError) << e.what();
    EXPECT_LT(seconds, 5.0);
  }
  // Python's own cap on range() is kept: an OverflowError, not a limit of ours.
  EXPECT_EQ(render_error("{{ range(10**6)|length }}").error_class(), ErrorClass::kOverflowError);
}

TEST(JinjaLimits, DeepButLegalValuesAreFreedWithoutRecursion) {
  // A million nested lists built within the step limit must not overflow the
  // stack when they are destroyed at the end of the render.
  jinja::Options o;
  const auto t = jinja::Template::parse_or_throw(
      "{% set ns = namespace(l=[]) %}{% for i in range(100000) %}{% set ns.l = [ns.l] %}{% endfor %}"
      "{{ ns.l|length }}",
      o);
  EXPECT_EQ(t.render_or_throw(kEmpty), "1");
  // Chains through loop objects, cyclers, bound methods and generator
  // arguments: each link owns the previous one outside any list.
  const char* chains[] = {
      "{% set ns = namespace(l=none) %}{% for i in range(50000) %}{% for x in [ns.l] %}{% set ns.l = loop %}"
      "{% endfor %}{% endfor %}done",
      "{% set ns = namespace(c=none) %}{% for i in range(50000) %}{% set ns.c = cycler(ns.c) %}{% endfor %}done",
      "{% set ns = namespace(m=none) %}{% for i in range(50000) %}{% set ns.m = [ns.m].count %}{% endfor %}done",
      "{% set ns = namespace(g=[1]) %}{% for i in range(50000) %}{% set ns.g = [1]|map('default', ns.g) %}"
      "{% endfor %}done",
  };
  for (const char* source : chains) {
    SCOPED_TRACE(source);
    EXPECT_EQ(jinja::Template::parse_or_throw(source).render_or_throw(kEmpty), "done");
  }
  // Iterators over iterators stop at a fixed nesting (iterating would recurse).
  EXPECT_EQ(render_error("{% set ns = namespace(g=[1]) %}{% for i in range(1000) %}{% set ns.g = ns.g|map('string') %}"
                         "{% endfor %}{{ ns.g|list }}")
                .error_class(),
            ErrorClass::kLimitError);
}

TEST(JinjaLimits, SelfReferenceRendersLikePython) {
  const auto t = jinja::Template::parse_or_throw("{% set ns = namespace(v=1) %}{% set ns.v = ns %}{{ ns }}");
  EXPECT_EQ(t.render_or_throw(kEmpty), "<Namespace {'v': <Namespace {...}>}>");
}

TEST(JinjaThreads, OneTemplateRendersConcurrently) {
  const auto t = jinja::Template::parse_or_throw(
      "{% for m in messages %}{{ m.role|upper }}:{{ m.content|trim }}{% if not loop.last %}|{% endif %}{% endfor %}");
  const auto ctx = nlohmann::ordered_json::parse(
      R"({"messages": [{"role": "user", "content": " hi "}, {"role": "assistant", "content": "yo"}]})");
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) results[i] = t.render_or_throw(ctx);
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, "USER:hi|ASSISTANT:yo");
}

TEST(ChatInputs, BadFieldsAreNamed) {
  auto bad = [](const char* json) {
    try {
      chat::chat_inputs_from_json_or_throw(nlohmann::ordered_json::parse(json));
    } catch (const hako::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(bad(R"({"messages": {}})"), "chat input: 'messages' must be an array");
  EXPECT_EQ(bad(R"({"tools": "x"})"), "chat input: 'tools' must be an array or null");
  EXPECT_EQ(bad(R"({"add_generation_prompt": 1})"), "chat input: 'add_generation_prompt' must be true or false");
  EXPECT_EQ(bad("[]"), "chat input must be a JSON object");
  const auto in = chat::chat_inputs_from_json_or_throw(nlohmann::ordered_json::parse(
      R"({"messages": [], "extra": {"bos_token": "<s>"}, "enable_thinking": false, "case": "ignored"})"));
  EXPECT_EQ(in.extra.dump(), R"({"bos_token":"<s>","enable_thinking":false})");
}

}  // namespace
}  // namespace hako
