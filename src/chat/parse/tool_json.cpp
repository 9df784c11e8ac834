// The JSON-based tool-call bodies: Hermes/Qwen3 <tool_call>{…}</tool_call>,
// Llama 3 {"name", "parameters"} messages and gpt-oss arguments, plus the
// JSON helpers and the ToolFormat dispatcher (see tool_syntax.h).
#include "chat/parse/tool_syntax.h"

#include "chat/parse/emitter.h"

namespace hako::chat {

using nlohmann::ordered_json;

std::string_view trim_space(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<ordered_json> try_parse_json(std::string_view text) {
  ordered_json j = ordered_json::parse(text.begin(), text.end(), nullptr,
                                       /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::optional<ordered_json> arguments_object(const ordered_json& value) {
  if (value.is_object()) return value;
  if (value.is_null()) return ordered_json::object();
  if (value.is_string()) {
    auto inner = try_parse_json(value.get<std::string>());
    if (inner && inner->is_object()) return inner;
  }
  return std::nullopt;
}

size_t json_container_extent(std::string_view text) {
  if (text.empty() || (text[0] != '{' && text[0] != '[')) return 0;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return 0;
}

namespace {

// {"name": "f", <args_key>: {...}} with args_key "arguments" or "parameters".
std::optional<ParsedCall> call_from_object(const ordered_json& obj) {
  if (!obj.is_object()) return std::nullopt;
  auto name_it = obj.find("name");
  if (name_it == obj.end() || !name_it->is_string() || name_it->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  ordered_json args = ordered_json::object();
  for (const char* key : {"arguments", "parameters"}) {
    auto it = obj.find(key);
    if (it == obj.end()) continue;
    auto parsed = arguments_object(*it);
    if (!parsed) return std::nullopt;
    args = std::move(*parsed);
    break;
  }
  return ParsedCall{name_it->get<std::string>(), std::move(args)};
}

}  // namespace

std::optional<ParsedCalls> parse_hermes_block(std::string_view body) {
  auto j = try_parse_json(trim_space(body));
  if (!j) return std::nullopt;
  auto call = call_from_object(*j);
  if (!call) return std::nullopt;
  return ParsedCalls{std::move(*call)};
}

std::optional<ParsedCalls> parse_llama3_block(std::string_view body) {
  std::string_view s = trim_space(body);
  if (s.empty()) return std::nullopt;
  if (s.front() != '{') {
    // Builtin tools after <|python_tag|>: brave_search.call(query="…").
    auto calls = parse_pythonic_block(s);
    if (!calls || calls->size() != 1) return std::nullopt;
    std::string& name = calls->front().name;
    if (name.ends_with(".call")) name.resize(name.size() - 5);
    return calls;
  }
  ParsedCalls calls;
  while (!s.empty()) {
    const size_t n = json_container_extent(s);
    if (n == 0) return std::nullopt;
    auto j = try_parse_json(s.substr(0, n));
    if (!j) return std::nullopt;
    auto call = call_from_object(*j);
    if (!call) return std::nullopt;
    calls.push_back(std::move(*call));
    s = trim_space(s.substr(n));
    if (!s.empty() && s.front() == ';') s = trim_space(s.substr(1));
  }
  return calls;
}

std::optional<ParsedCalls> parse_deepseek_r1_block(std::string_view body) {
  constexpr std::string_view kSep = "<｜tool▁sep｜>";
  std::string_view s = trim_space(body);
  const size_t sep = s.find(kSep);
  if (sep != std::string_view::npos) s = s.substr(sep + kSep.size());  // drops the "function" type
  const size_t nl = s.find('\n');
  if (nl == std::string_view::npos) return std::nullopt;
  const std::string_view name = trim_space(s.substr(0, nl));
  std::string_view args = trim_space(s.substr(nl + 1));
  if (args.starts_with("```")) {
    const size_t line_end = args.find('\n');
    if (line_end == std::string_view::npos || !args.ends_with("```")) return std::nullopt;
    args = trim_space(args.substr(line_end + 1, args.size() - 3 - (line_end + 1)));
  }
  auto j = try_parse_json(args);
  if (name.empty() || !j) return std::nullopt;
  auto obj = arguments_object(*j);
  if (!obj) return std::nullopt;
  return ParsedCalls{ParsedCall{std::string(name), std::move(*obj)}};
}

std::optional<ordered_json> parse_harmony_arguments(std::string_view body) {
  auto j = try_parse_json(trim_space(body));
  if (!j) return std::nullopt;
  return arguments_object(*j);
}

std::optional<ParsedCalls> parse_tool_block(ToolFormat format, std::string_view body,
                                            const ordered_json& tools) {
  std::optional<ParsedCalls> calls;
  switch (format) {
    case ToolFormat::kHermesJson: {
      // Qwen3 models sometimes write the XML form inside <tool_call>.
      const std::string_view s = trim_space(body);
      calls = s.starts_with("<function=") ? parse_xml_block(s, tools) : parse_hermes_block(s);
      break;
    }
    case ToolFormat::kXmlFunction:
      calls = parse_xml_block(body, tools);
      break;
    case ToolFormat::kPythonic:
      calls = parse_pythonic_block(body);
      break;
    case ToolFormat::kLlama3Json:
      calls = parse_llama3_block(body);
      break;
    case ToolFormat::kGemma4:
      calls = parse_gemma4_block(body);
      break;
    case ToolFormat::kDeepSeekR1:
      calls = parse_deepseek_r1_block(body);
      break;
    case ToolFormat::kHarmony:
    case ToolFormat::kNone:
      break;
  }
  if (calls && calls->empty()) return std::nullopt;
  return calls;
}

}  // namespace hako::chat
