// Streaming parser tests for the <think>-tag families and their tool-call
// syntaxes: Qwen3 / Hermes JSON calls, the Qwen3-Coder XML calls of
// Qwen3.5 and Nemotron-H, DeepSeek-R1-style output that starts inside the
// reasoning, and the plain family. Every case is fed in every split.
#include <gtest/gtest.h>

#include "stream_harness.h"

namespace hako::chat::test {
namespace {

using nlohmann::ordered_json;

ordered_json j(std::string_view text) { return ordered_json::parse(text); }

ParseOptions starting_in_reasoning() {
  ParseOptions o;
  o.start = StartState::kReasoning;
  return o;
}

TEST(StreamQwen3, ReasoningThenAnswer) {
  expect_every_split(Family::kQwen3, {},
                     "<think>\n2と3を足すと5になる。\n</think>\n\n2+3 = **5** です。<|im_end|>",
                     {.reasoning = "2と3を足すと5になる。", .content = "2+3 = **5** です。"});
}

TEST(StreamQwen3, ToolCallAfterThinking) {
  expect_every_split(
      Family::kQwen3, {},
      "<think>\nI need the weather tool.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", "
      "\"arguments\": {\"city\": \"東京\", \"unit\": \"celsius\"}}\n</tool_call>",
      {.reasoning = "I need the weather tool.",
       .calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}});
}

TEST(StreamQwen3, ContentAndTwoCalls) {
  expect_every_split(
      Family::kQwen3, {},
      "Let me check both.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": "
      "\"Paris\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": "
      "\"{\\\"tz\\\": \\\"Europe/Paris\\\"}\"}\n</tool_call><|im_end|>",
      {.content = "Let me check both.",
       .calls = {{"get_weather", j(R"({"city": "Paris"})")},
                 {"get_time", j(R"({"tz": "Europe/Paris"})")}}});
}

TEST(StreamQwen3, MalformedCallKeptAsFlaggedContent) {
  const std::string bad =
      "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": }\n</tool_call>";
  expect_every_split(Family::kQwen3, {}, "Checking.\n" + bad + "\nDone.",
                     {.content = "Checking.\n" + bad + "\nDone.", .n_malformed = 1});
}

TEST(StreamQwen3, UnterminatedCallAtEndParsesIfComplete) {
  expect_every_split(Family::kQwen3, {},
                     "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1}}\n",
                     {.calls = {{"f", j(R"({"a": 1})")}}});
  expect_every_split(Family::kQwen3, {}, "<tool_call>\n{\"name\": \"f\", \"argu",
                     {.content = "<tool_call>\n{\"name\": \"f\", \"argu", .n_malformed = 1});
}

TEST(StreamQwen3, NearMissesAreText) {
  // Prefixes of markers that turn out not to be markers must come out intact.
  expect_every_split(Family::kQwen3, {}, "a <b and <thinking> or </thin> <tool_cal x <",
                     {.content = "a <b and <thinking> or </thin> <tool_cal x <"});
}

TEST(StreamQwen3, TruncatedThinking) {
  expect_every_split(Family::kQwen3, {}, "<think>\nStill thinking about </thi",
                     {.reasoning = "Still thinking about </thi"});
}

TEST(StreamQwen3, ThinkingDisabledByTemplate) {
  // enable_thinking=false: the prompt ends in "<think>\n\n</think>\n\n".
  expect_every_split(Family::kQwen3, {}, "こんにちは！元気です。",
                     {.content = "こんにちは！元気です。"});
}

TEST(StreamQwen3, KeepWhitespace) {
  ParseOptions o;
  o.whitespace = Whitespace::kKeep;
  expect_every_split(Family::kQwen3, o, "<think>\nA\n</think>\n\nB \n<tool_call>{\"name\":\"f\"}</tool_call>\n",
                     {.reasoning = "\nA\n", .content = "\n\nB \n\n", .calls = {{"f", j("{}")}}});
}

TEST(StreamQwen3, SeparateThoughtsAreSeparated) {
  expect_every_split(Family::kQwen3, {}, "<think>one</think>x<think>two</think>y",
                     {.reasoning = "one\n\ntwo", .content = "xy"});
}

TEST(StreamHermes, NoReasoningTags) {
  expect_every_split(Family::kHermes, {},
                     "<think>not a tag here</think> <tool_call>\n{\"arguments\": {\"q\": \"x\"}, "
                     "\"name\": \"search\"}\n</tool_call><|eot_id|>",
                     {.content = "<think>not a tag here</think>",
                      .calls = {{"search", j(R"({"q": "x"})")}}});
}

TEST(StreamThink, DeepSeekR1StartsInsideReasoning) {
  expect_every_split(Family::kThink, starting_in_reasoning(),
                     "Okay, 2 plus 3.\nThat is 5.\n</think>\n\nThe answer is **5**.<｜end▁of▁sentence｜>",
                     {.reasoning = "Okay, 2 plus 3.\nThat is 5.", .content = "The answer is **5**."});
}

TEST(StreamThink, DeepSeekR1ToolCalls) {
  expect_every_split(
      Family::kThink, starting_in_reasoning(),
      "Two calls.\n</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>"
      "get_weather\n```json\n{\"city\": \"東京\"}\n```<｜tool▁call▁end｜>\n<｜tool▁call▁begin｜>"
      "function<｜tool▁sep｜>get_time\n```json\n{}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>"
      "<｜end▁of▁sentence｜>",
      {.reasoning = "Two calls.",
       .calls = {{"get_weather", j(R"({"city": "東京"})")}, {"get_time", j("{}")}}});
  const std::string bad = "<｜tool▁call▁begin｜>function<｜tool▁sep｜>f\n```json\n{\n```<｜tool▁call▁end｜>";
  expect_every_split(Family::kThink, {}, bad, {.content = bad, .n_malformed = 1});
}

TEST(StreamThink, NoToolSyntax) {
  expect_every_split(Family::kThink, {}, "<think>x</think><tool_call>{}</tool_call>",
                     {.reasoning = "x", .content = "<tool_call>{}</tool_call>"});
}

TEST(StreamQwen35, ReasoningThenXmlCall) {
  expect_every_split(
      Family::kQwen35, starting_in_reasoning(),
      "The user wants the weather.\n</think>\n\n<tool_call>\n<function=get_weather>\n"
      "<parameter=city>\n東京\n</parameter>\n<parameter=days>\n3\n</parameter>\n"
      "<parameter=opts>\n{\"hourly\": true}\n</parameter>\n</function>\n</tool_call>",
      {.reasoning = "The user wants the weather.",
       .calls = {{"get_weather", j(R"({"city": "東京", "days": 3, "opts": {"hourly": true}})")}}});
}

TEST(StreamQwen35, SchemaDecidesStringParameters) {
  ParseOptions o = starting_in_reasoning();
  o.tools = j(R"([{"type": "function", "function": {"name": "lookup", "parameters": {
      "type": "object", "properties": {"zip": {"type": "string"}, "n": {"type": "integer"},
      "flag": {"type": "boolean"}}}}}])");
  expect_every_split(Family::kQwen35, o,
                     "ok</think><tool_call>\n<function=lookup>\n<parameter=zip>\n01234\n</parameter>\n"
                     "<parameter=n>\n7\n</parameter>\n<parameter=flag>\nTrue\n</parameter>\n"
                     "</function>\n</tool_call>",
                     {.reasoning = "ok", .calls = {{"lookup", j(R"({"zip": "01234", "n": 7, "flag": true})")}}});
}

TEST(StreamQwen35, ToolCallEndsReasoning) {
  expect_every_split(Family::kQwen35, starting_in_reasoning(),
                     "Call it.\n<tool_call>\n<function=ping>\n</function>\n</tool_call>",
                     {.reasoning = "Call it.", .calls = {{"ping", j("{}")}}});
}

TEST(StreamQwen35, ThinkingOffContentOnly) {
  expect_every_split(Family::kQwen35, {}, "5です。<|im_end|>", {.content = "5です。"});
}

TEST(StreamQwen3Coder, BareFunctionAndMultilineValue) {
  expect_every_split(
      Family::kQwen3Coder, {},
      "I'll write the file.\n<function=write_file>\n<parameter=path>\nsrc/a.py\n</parameter>\n"
      "<parameter=content>\ndef f():\n    return 1\n\n</parameter>\n</function>\n"
      "<tool_call>\n<function=run>\n<parameter=cmd>\npython a.py\n</parameter>\n</function>\n"
      "</tool_call>",
      {.content = "I'll write the file.",
       .calls = {{"write_file", j(R"({"path": "src/a.py", "content": "def f():\n    return 1\n"})")},
                 {"run", j(R"({"cmd": "python a.py"})")}}});
}

TEST(StreamQwen3Coder, MalformedXmlKept) {
  const std::string bad = "<tool_call>\n<function=f>\n<oops>\n</function>\n</tool_call>";
  expect_every_split(Family::kQwen3Coder, {}, bad, {.content = bad, .n_malformed = 1});
}

TEST(StreamNemotronH, ReasoningAndCall) {
  expect_every_split(
      Family::kNemotronH, starting_in_reasoning(),
      "ユーザーは東京の天気を知りたい。\n</think>\n<tool_call>\n<function=get_weather>\n"
      "<parameter=city>\n東京\n</parameter>\n<parameter=unit>\ncelsius\n</parameter>\n"
      "</function>\n</tool_call>\n<|im_end|>",
      {.reasoning = "ユーザーは東京の天気を知りたい。",
       .calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}});
}

TEST(StreamNemotronH, ThinkingOff) {
  // Prompt ends with "<think></think>": the output is the answer.
  expect_every_split(Family::kNemotronH, {}, "Hello! I'm fine.", {.content = "Hello! I'm fine."});
}

TEST(StreamPlain, EverythingIsContent) {
  expect_every_split(Family::kPlain, {}, "<think>x</think> <tool_call>{}</tool_call><|im_end|>",
                     {.content = "<think>x</think> <tool_call>{}</tool_call>"});
}

}  // namespace
}  // namespace hako::chat::test
