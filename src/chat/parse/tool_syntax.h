// Tool-call body parsers, one per ToolFormat: each takes the complete text
// between a call's markers and returns the calls it names with their
// arguments as a JSON object, or nullopt when the text does not parse (the
// caller then keeps it as content). Pure functions; they never throw on any
// input and bound their recursion (kMaxValueDepth).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/parse/family.h"

namespace hako::chat {

struct ParsedCall {
  std::string name;
  nlohmann::ordered_json arguments;  // a JSON object
};
using ParsedCalls = std::vector<ParsedCall>;

// Nesting deeper than this in argument values fails the parse.
inline constexpr int kMaxValueDepth = 64;

// Dispatches on `format`. `tools` is the request's OpenAI-style tools array
// (or null); kXmlFunction uses its parameter types to decide whether a value
// is a string or JSON. kHarmony bodies are only arguments: use
// parse_harmony_arguments. Returns nullopt, never an empty list.
std::optional<ParsedCalls> parse_tool_block(ToolFormat format, std::string_view body,
                                            const nlohmann::ordered_json& tools);

// {"name": "f", "arguments": {...}} (also "parameters"; arguments may be a
// JSON string holding the object).
std::optional<ParsedCalls> parse_hermes_block(std::string_view body);
// One or more {"name": …, "parameters": …} objects separated by whitespace
// or ';', or a builtin call `name.call(arg="v")` (after <|python_tag|>).
std::optional<ParsedCalls> parse_llama3_block(std::string_view body);
// <function=f><parameter=p>\nvalue\n</parameter>…</function>, repeated; a
// body that is JSON is read as Hermes (models mix the two).
std::optional<ParsedCalls> parse_xml_block(std::string_view body, const nlohmann::ordered_json& tools);
// call:f{key:value,...} with Gemma 4 values (<|"|>text<|"|>, numbers,
// true/false/null, {…}, […]).
std::optional<ParsedCalls> parse_gemma4_block(std::string_view body);
// [f(a="x", b=1), g()] with Python literals (also JSON true/false/null).
std::optional<ParsedCalls> parse_pythonic_block(std::string_view body);
// function<｜tool▁sep｜>f\n```json\n{...}\n``` (the fence is optional).
std::optional<ParsedCalls> parse_deepseek_r1_block(std::string_view body);
// A JSON object (or a JSON string holding one): gpt-oss call arguments.
std::optional<nlohmann::ordered_json> parse_harmony_arguments(std::string_view body);

// Helpers shared by the parsers.
// Parses `text` as one JSON value; nullopt when it is not exactly one.
std::optional<nlohmann::ordered_json> try_parse_json(std::string_view text);
// An arguments value as an object: objects pass, strings holding a JSON object
// are decoded, null becomes {}; anything else is nullopt.
std::optional<nlohmann::ordered_json> arguments_object(const nlohmann::ordered_json& value);
// Length of the JSON object or array starting at text[0] (brackets balanced
// outside strings), or 0 when it does not close within `text`.
size_t json_container_extent(std::string_view text);
std::string_view trim_space(std::string_view s);

}  // namespace hako::chat
