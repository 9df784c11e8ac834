// jinja::Template (see template.h).
#include "chat/jinja/template.h"

#include "chat/jinja/ast.h"
#include "chat/jinja/json_convert.h"
#include "chat/jinja/parser.h"

namespace hako::jinja {

Template Template::parse_or_throw(std::string_view source, const Options& options) {
  LexerOptions lex;
  lex.trim_blocks = options.trim_blocks;
  lex.lstrip_blocks = options.lstrip_blocks;
  std::shared_ptr<const ast::Program> program = jinja::parse_or_throw(source, lex);
  return Template(std::move(program), options);
}

std::string Template::render_or_throw(const std::vector<std::pair<std::string, Value>>& context) const {
  RenderSettings settings;
  settings.sandbox = options_.sandbox;
  settings.limits = options_.limits;
  settings.fixed_now = options_.fixed_now;
  ValueWorkScope work({options_.limits.max_steps, options_.limits.max_output_bytes});
  Interpreter interpreter(settings);
  return interpreter.render(*program_, context);
}

std::string Template::render_or_throw(const nlohmann::ordered_json& context) const {
  if (!context.is_object()) {
    throw TemplateError(ErrorClass::kTypeError, "template context must be a JSON object");
  }
  ValueWorkScope work({options_.limits.max_steps, options_.limits.max_output_bytes});
  std::vector<std::pair<std::string, Value>> vars;
  for (const auto& [k, v] : context.items()) vars.emplace_back(k, from_json(v));
  return render_or_throw(vars);
}

}  // namespace hako::jinja
