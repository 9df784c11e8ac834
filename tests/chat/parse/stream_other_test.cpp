// Streaming parser tests for the families with their own syntax: Gemma 4
// (thought channel, call:name{…} arguments), LFM2 (Python-style calls),
// Llama 3 (a JSON call as the whole message) and gpt-oss (Harmony
// channels). Every case is fed in every split.
#include <gtest/gtest.h>

#include "stream_harness.h"

namespace hako::chat::test {
namespace {

using nlohmann::ordered_json;

ordered_json j(std::string_view text) { return ordered_json::parse(text); }

TEST(StreamGemma4, ThoughtThenAnswer) {
  expect_every_split(Family::kGemma4, {},
                     "<|channel>thought\nThe user asks for 2+3.\n<channel|>2+3は5です。<turn|>",
                     {.reasoning = "The user asks for 2+3.", .content = "2+3は5です。"});
}

TEST(StreamGemma4, ToolCallWithTemplateArgumentSyntax) {
  // As the template renders history: format_argument with bare keys.
  expect_every_split(
      Family::kGemma4, {},
      "<|channel>thought\nNeed the tool.<channel|><|tool_call>call:get_weather{city:<|\"|>東京<|\"|>,"
      "unit:<|\"|>celsius<|\"|>}<tool_call|><|tool_response>",
      {.reasoning = "Need the tool.",
       .calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}});
}

TEST(StreamGemma4, NestedArguments) {
  expect_every_split(
      Family::kGemma4, {},
      "<|tool_call>call:search{exact:true,filters:{max_price:99.5,tags:[<|\"|>a, b<|\"|>,"
      "<|\"|>c<|\"|>]},limit:null,page:2}<tool_call|><|tool_call>call:noop{}<tool_call|>",
      {.calls = {{"search", j(R"({"exact": true, "filters": {"max_price": 99.5,
                                  "tags": ["a, b", "c"]}, "limit": null, "page": 2})")},
                 {"noop", j("{}")}}});
}

TEST(StreamGemma4, ThinkingOffAndStrayClose) {
  // The thinking-off prompt already holds "<|channel>thought\n<channel|>";
  // Gemma 4 sometimes repeats a lone <channel|>, which is dropped.
  expect_every_split(Family::kGemma4, {}, "Hello!<channel|>", {.content = "Hello!"});
}

TEST(StreamGemma4, MalformedCall) {
  const std::string bad = "<|tool_call>call:f{a:<|\"|>open}<tool_call|>";
  expect_every_split(Family::kGemma4, {}, bad, {.content = bad, .n_malformed = 1});
}

TEST(StreamLfm2, ReasoningAndPythonCalls) {
  expect_every_split(
      Family::kLfm2, {},
      "<think>\nTwo lookups.\n</think>\n\n<|tool_call_start|>[get_weather(city=\"東京\", "
      "unit='celsius'), find(q=\"it's \\\"x\\\"\", n=3, opts={'deep': True, 'k': None}, "
      "ids=[1, 2.5, -3])]<|tool_call_end|>Checking.<|im_end|>",
      {.reasoning = "Two lookups.",
       .content = "Checking.",
       .calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")},
                 {"find", j(R"({"q": "it's \"x\"", "n": 3, "opts": {"deep": true, "k": null},
                               "ids": [1, 2.5, -3]})")}}});
}

TEST(StreamLfm2, MalformedCall) {
  const std::string bad = "<|tool_call_start|>[f(x=)]<|tool_call_end|>";
  expect_every_split(Family::kLfm2, {}, bad, {.content = bad, .n_malformed = 1});
}

TEST(StreamLlama3, JsonCallIsTheWholeMessage) {
  expect_every_split(Family::kLlama3, {},
                     "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"東京\", \"unit\": "
                     "\"celsius\"}}<|eot_id|>",
                     {.calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}});
}

TEST(StreamLlama3, SeveralCalls) {
  expect_every_split(Family::kLlama3, {},
                     " {\"name\": \"a\", \"parameters\": {}}; {\"name\": \"b\", \"parameters\": "
                     "{\"x\": [1, \"}\"]}}",
                     {.calls = {{"a", j("{}")}, {"b", j(R"({"x": [1, "}"]})")}}});
}

TEST(StreamLlama3, PythonTagBuiltin) {
  expect_every_split(Family::kLlama3, {}, "<|python_tag|>brave_search.call(query=\"今日のニュース\")<|eom_id|>",
                     {.calls = {{"brave_search", j(R"({"query": "今日のニュース"})")}}});
}

TEST(StreamLlama3, TextAndJsonAnswers) {
  expect_every_split(Family::kLlama3, {}, "Sure: {\"name\": 1}<|eot_id|>",
                     {.content = "Sure: {\"name\": 1}"});
  expect_every_split(Family::kLlama3, {}, "{\"answer\": 5}", {.content = "{\"answer\": 5}"});
  expect_every_split(Family::kLlama3, {}, "{\"name\": \"f\", \"parameters\": {\"a\"",
                     {.content = "{\"name\": \"f\", \"parameters\": {\"a\"", .n_malformed = 1});
}

TEST(StreamGptOss, AnalysisThenFinal) {
  expect_every_split(Family::kGptOss, {},
                     "<|channel|>analysis<|message|>User asks 2+3. Answer 5.<|end|><|start|>"
                     "assistant<|channel|>final<|message|>5です。<|return|>",
                     {.reasoning = "User asks 2+3. Answer 5.", .content = "5です。"});
}

TEST(StreamGptOss, CallWithRecipientInChannelHeader) {
  expect_every_split(Family::kGptOss, {},
                     "<|channel|>analysis<|message|>Need weather.<|end|><|start|>assistant"
                     "<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>"
                     "{\"city\":\"東京\"}<|call|>",
                     {.reasoning = "Need weather.",
                      .calls = {{"get_weather", j(R"({"city": "東京"})")}}});
}

TEST(StreamGptOss, CallWithRecipientInRoleHeader) {
  // As the template renders history (and with the arguments as a JSON string).
  expect_every_split(Family::kGptOss, {},
                     " to=functions.get_weather<|channel|>commentary json<|message|>"
                     "\"{\\\"city\\\": \\\"東京\\\", \\\"unit\\\": \\\"celsius\\\"}\"<|call|>",
                     {.calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}});
}

TEST(StreamGptOss, PreambleIsContent) {
  expect_every_split(Family::kGptOss, {},
                     "<|channel|>commentary<|message|>Checking the weather.<|end|><|start|>assistant"
                     "<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{}"
                     "<|call|>",
                     {.content = "Checking the weather.", .calls = {{"get_weather", j("{}")}}});
}

TEST(StreamGptOss, SeveralAnalysisMessages) {
  expect_every_split(Family::kGptOss, {},
                     "<|channel|>analysis<|message|>First.<|end|><|start|>assistant<|channel|>"
                     "analysis<|message|>Second.<|end|><|start|>assistant<|channel|>final"
                     "<|message|>Done.",
                     {.reasoning = "First.\n\nSecond.", .content = "Done."});
}

TEST(StreamGptOss, NotHarmonyIsContent) {
  expect_every_split(Family::kGptOss, {}, "Hello there, <b>friend</b>.",
                     {.content = "Hello there, <b>friend</b>."});
}

TEST(StreamGptOss, MalformedArguments) {
  const std::string header = "<|channel|>commentary to=functions.f <|constrain|>json";
  expect_every_split(Family::kGptOss, {}, header + "<|message|>{bad<|call|>",
                     {.content = header + "<|message|>{bad<|call|>", .n_malformed = 1});
}

TEST(StreamGptOss, TruncatedHeaderIsKept) {
  expect_every_split(Family::kGptOss, {}, "<|channel|>analy",
                     {.content = "<|channel|>analy", .n_malformed = 1});
}

TEST(StreamGptOss, StartStates) {
  ParseOptions o;
  o.start = StartState::kReasoning;
  expect_every_split(Family::kGptOss, o,
                     "still thinking<|end|><|start|>assistant<|channel|>final<|message|>ok",
                     {.reasoning = "still thinking", .content = "ok"});
  o.start = StartState::kContent;
  expect_every_split(Family::kGptOss, o, "answer<|return|>", {.content = "answer"});
}

}  // namespace
}  // namespace hako::chat::test
