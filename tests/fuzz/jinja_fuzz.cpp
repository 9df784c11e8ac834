// libFuzzer target for the Jinja template engine: any byte string is a
// template; parsing and rendering it (against a fixed chat context with
// messages, tool calls, tools and extra variables, in the immutable and the
// mutable sandbox) must either succeed or throw hako::Error, never crash,
// hang, leak or allocate without bound. Limits are tightened (steps, output
// size) so that every input finishes in milliseconds; exceeding them is a
// LimitError like any other template error. Seeds: the real chat templates
// in ../shared/testdata/templates/*.jinja; tests/fuzz/jinja.dict holds the
// language's tokens (pass -dict=tests/fuzz/jinja.dict when running by hand).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "chat/jinja/template.h"

namespace {

const nlohmann::ordered_json& context() {
  static const nlohmann::ordered_json ctx = nlohmann::ordered_json::parse(R"({
    "messages": [
      {"role": "system", "content": "You are helpful."},
      {"role": "user", "content": "東京の天気は？ \"quotes\" <tag> & \\ 😀"},
      {"role": "assistant", "content": "", "reasoning_content": "think", "tool_calls": [
        {"id": "call1", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Tokyo", "days": [1, 2]}}},
        {"id": "call2", "type": "function", "function": {"name": "f", "arguments": "{\"a\": 1}"}}]},
      {"role": "tool", "tool_call_id": "call1", "name": "get_weather", "content": "sunny"},
      {"role": "user", "content": [{"type": "text", "text": "part"}, {"type": "image"}]}
    ],
    "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather",
      "parameters": {"type": "object", "properties": {"city": {"type": "string", "enum": ["a", "b"]},
      "days": {"type": "integer", "default": 1}}, "required": ["city"]}}}],
    "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>",
    "enable_thinking": false, "documents": null, "n": 3, "f": 2.5, "big": 9223372036854775807
  })");
  return ctx;
}

void render(std::string_view source, hako::jinja::Sandbox sandbox) {
  hako::jinja::Options options;
  options.sandbox = sandbox;
  options.limits.max_steps = 200'000;
  options.limits.max_output_bytes = size_t{1} << 20;
  std::tm tm{};
  tm.tm_year = 125;
  tm.tm_mday = 1;
  options.fixed_now = tm;
  try {
    const auto tmpl = hako::jinja::Template::parse_or_throw(source, options);
    const std::string out = tmpl.render_or_throw(context());
    if (out.size() > options.limits.max_output_bytes) __builtin_trap();
  } catch (const hako::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  render(source, hako::jinja::Sandbox::kImmutable);
  render(source, hako::jinja::Sandbox::kMutable);
  return 0;
}
