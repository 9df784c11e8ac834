// hako::jinja::Template: the public face of the Jinja engine. Parse a
// template once (thread-safe to render concurrently afterwards), render it
// with a JSON context. Rendering matches Python Jinja2 3.1 as Hugging Face
// transformers configures it (ImmutableSandboxedEnvironment, trim_blocks and
// lstrip_blocks on, tojson without HTML escaping, raise_exception and
// strftime_now globals, loop controls, the {% generation %} tag).
//
//   auto t = jinja::Template::parse_or_throw(src, {});
//   std::string prompt = t.render_or_throw({{"messages", msgs}, {"add_generation_prompt", true}});
//
// Errors: TemplateError (a hako::Error) whose what() reads
// "template:<line>:<col>: <PythonClass>: <message>"; syntax errors at parse
// time, everything else (UndefinedError, TypeError, raise_exception's
// TemplateError, LimitError ...) at render time.
// Not here: chat-specific variables (chat/chat_template.h).
#pragma once

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/jinja/interpreter.h"
#include "chat/jinja/jinja_error.h"
#include "chat/jinja/value.h"

namespace hako::jinja {

namespace ast {
struct Program;
}

struct Options {
  bool trim_blocks = true;    // drop the newline after a block tag (HF: on)
  bool lstrip_blocks = true;  // drop indentation before a block tag (HF: on)
  Sandbox sandbox = Sandbox::kImmutable;
  Limits limits;
  // strftime_now() formats this time instead of the local time (tests).
  std::optional<std::tm> fixed_now;
};

class Template {
 public:
  // Throws TemplateError(kTemplateSyntaxError) with line:col and reason.
  static Template parse_or_throw(std::string_view source, const Options& options = {});

  // context: a JSON object whose keys become template variables.
  std::string render_or_throw(const nlohmann::ordered_json& context) const;
  // The same with engine values (name -> value), for callers that build them.
  std::string render_or_throw(const std::vector<std::pair<std::string, Value>>& context) const;

  const Options& options() const { return options_; }

 private:
  Template(std::shared_ptr<const ast::Program> program, Options options)
      : program_(std::move(program)), options_(std::move(options)) {}

  std::shared_ptr<const ast::Program> program_;
  Options options_;
};

}  // namespace hako::jinja
