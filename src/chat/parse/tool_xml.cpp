// The XML-style tool-call body of Qwen3-Coder, Qwen3.5 and Nemotron 3 Nano
// (see tool_syntax.h). The templates write each argument as
// "<parameter=" name ">\n" value "\n</parameter>\n", the value raw when it is
// a string and as JSON otherwise, so reading it back needs the parameter's
// type: from the request's tool schema when there is one, else by whether
// the text is a JSON number, boolean, null, object or array.
#include "chat/parse/tool_syntax.h"

#include "chat/parse/cursor.h"

namespace hako::chat {

using nlohmann::ordered_json;

namespace {

enum class ParamType : uint8_t { kUnknown, kString, kOther };

// The declared JSON-schema type of `param` of function `fn` in an OpenAI tools array.
ParamType declared_type(const ordered_json& tools, std::string_view fn, std::string_view param) {
  if (!tools.is_array()) return ParamType::kUnknown;
  for (const ordered_json& tool : tools) {
    const ordered_json* f = &tool;
    if (tool.is_object() && tool.contains("function")) f = &tool["function"];
    if (!f->is_object() || f->value("name", std::string()) != fn) continue;
    auto params = f->find("parameters");
    if (params == f->end() || !params->is_object()) return ParamType::kUnknown;
    auto props = params->find("properties");
    if (props == params->end() || !props->is_object()) return ParamType::kUnknown;
    auto p = props->find(std::string(param));
    if (p == props->end() || !p->is_object()) return ParamType::kUnknown;
    auto type = p->find("type");
    if (type == p->end()) return ParamType::kUnknown;
    if (type->is_string()) return *type == "string" ? ParamType::kString : ParamType::kOther;
    if (type->is_array()) {
      for (const auto& t : *type) {
        if (t == "string") return ParamType::kString;
      }
      return ParamType::kOther;
    }
    return ParamType::kUnknown;
  }
  return ParamType::kUnknown;
}

ordered_json value_from_text(std::string_view text, ParamType type) {
  if (type == ParamType::kString) return std::string(text);
  const std::string_view t = trim_space(text);
  if (auto j = try_parse_json(t)) {
    if (!j->is_string() || type == ParamType::kOther) return *j;
    return std::string(text);
  }
  if (type == ParamType::kOther) {
    // Python spellings from templates that render values with |string.
    if (t == "True") return true;
    if (t == "False") return false;
    if (t == "None") return nullptr;
  }
  return std::string(text);
}

// One "<parameter=name>\nvalue\n</parameter>"; the cursor stands after "<parameter=".
bool parse_parameter(Cursor& c, std::string_view fn, const ordered_json& tools, ordered_json& args) {
  std::string_view name;
  if (!c.take_until(">", &name)) return false;
  name = trim_space(name);
  if (name.empty()) return false;
  // The value ends at </parameter>; a model that forgets it ends the value
  // at the next parameter or at </function>.
  const std::string_view rest = c.rest();
  size_t end = rest.find("</parameter>");
  size_t skip = std::string_view("</parameter>").size();
  for (std::string_view alt : {"<parameter=", "</function>"}) {
    const size_t at = rest.find(alt);
    if (at < end) {
      end = at;
      skip = 0;
    }
  }
  if (end == std::string_view::npos) {
    end = rest.size();
    skip = 0;
  }
  std::string_view value = rest.substr(0, end);
  c.i += end + skip;
  if (value.starts_with('\n')) value.remove_prefix(1);
  if (value.ends_with('\n')) value.remove_suffix(1);
  args[std::string(name)] = value_from_text(value, declared_type(tools, fn, name));
  return true;
}

}  // namespace

std::optional<ParsedCalls> parse_xml_block(std::string_view body, const ordered_json& tools) {
  const std::string_view trimmed = trim_space(body);
  if (trimmed.starts_with("{")) return parse_hermes_block(trimmed);
  Cursor c{trimmed};
  ParsedCalls calls;
  while (true) {
    c.skip_space();
    if (c.done()) break;
    if (!c.eat("<function=")) return std::nullopt;
    std::string_view name;
    if (!c.take_until(">", &name)) return std::nullopt;
    name = trim_space(name);
    if (name.empty()) return std::nullopt;
    ParsedCall call{std::string(name), ordered_json::object()};
    while (true) {
      c.skip_space();
      if (c.done() || c.eat("</function>")) break;
      if (!c.eat("<parameter=")) return std::nullopt;
      if (!parse_parameter(c, name, tools, call.arguments)) return std::nullopt;
    }
    calls.push_back(std::move(call));
  }
  if (calls.empty()) return std::nullopt;
  return calls;
}

}  // namespace hako::chat
