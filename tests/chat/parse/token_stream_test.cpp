// The output parser on real token streams: realistic outputs are encoded
// with the model family's own tokenizer (testdata/tokenizers, special tokens
// parsed), decoded back one token at a time with StreamDecoder (special
// tokens shown, as the generation loop does) and the per-token pieces are
// fed to the parser. Families whose tokenizer is not in testdata use the
// closest one (Qwen3's for Qwen3.5 / Nemotron / LFM2, Gemma 3's for
// Gemma 4): their markers then split into several tokens, which the parser
// must handle too.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "stream_harness.h"
#include "support/testdata.h"
#include "tokenizer/stream_decoder.h"
#include "tokenizer/tokenizer.h"

namespace hako::chat::test {
namespace {

using nlohmann::ordered_json;
using tokenizer::Tokenizer;

ordered_json j(std::string_view text) { return ordered_json::parse(text); }

const Tokenizer& load(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
  auto& slot = cache[name];
  if (!slot) {
    slot = std::make_unique<Tokenizer>(
        Tokenizer::from_hf_json(hako::test::testdata_path("tokenizers/" + name)));
  }
  return *slot;
}

struct TokenCase {
  const char* tokenizer;
  Family family;
  StartState start;
  std::string text;
  Expected want;
  std::vector<std::string> single_tokens;  // markers that must be one token each
};

// Encodes `c.text`, streams the ids back to text pieces and parses them.
void run_case(const TokenCase& c) {
  const Tokenizer& tok = load(c.tokenizer);
  SCOPED_TRACE(std::string(c.tokenizer) + ": " + c.text);
  tokenizer::EncodeOptions enc;
  enc.parse_special = tokenizer::ParseSpecial::kYes;
  const std::vector<int32_t> ids = tok.encode(c.text, enc);
  for (const std::string& marker : c.single_tokens) {
    EXPECT_GE(tok.find_token(marker), 0) << marker;
    EXPECT_NE(std::find(ids.begin(), ids.end(), tok.find_token(marker)), ids.end()) << marker;
  }
  tokenizer::StreamDecoder dec(tok);
  std::vector<std::string> pieces;
  for (int32_t id : ids) pieces.push_back(dec.push(id));
  pieces.push_back(dec.flush());
  std::string joined;
  for (const std::string& p : pieces) joined += p;
  ASSERT_EQ(joined, c.text) << "detokenized text differs from the input";
  EXPECT_GT(ids.size(), 10u);
  std::vector<std::string_view> views(pieces.begin(), pieces.end());
  ParseOptions o;
  o.start = c.start;
  check_collected(feed_pieces(c.family, o, views), c.want, "token pieces");
}

TEST(TokenStream, Qwen3Family) {
  run_case({"qwen3", Family::kQwen3, StartState::kMessageStart,
            "<think>\nThe user asks about Tokyo weather. I should call get_weather.\n</think>\n\n"
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"東京\", \"unit\": "
            "\"celsius\"}}\n</tool_call><|im_end|>",
            {.reasoning = "The user asks about Tokyo weather. I should call get_weather.",
             .calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}},
            {"<think>", "</think>", "<tool_call>", "</tool_call>", "<|im_end|>"}});
  run_case({"qwen3", Family::kQwen3, StartState::kMessageStart,
            "<think>\n\n</think>\n\n日本の首都は東京です。😀<|im_end|>",
            {.content = "日本の首都は東京です。😀"},
            {"<think>", "</think>"}});
  run_case({"qwen3", Family::kQwen35, StartState::kReasoning,
            "東京の天気を調べる必要がある。\n</think>\n\n<tool_call>\n<function=get_weather>\n"
            "<parameter=city>\n東京\n</parameter>\n<parameter=days>\n3\n</parameter>\n</function>\n"
            "</tool_call><|im_end|>",
            {.reasoning = "東京の天気を調べる必要がある。",
             .calls = {{"get_weather", j(R"({"city": "東京", "days": 3})")}}},
            {"</think>", "<tool_call>"}});
  run_case({"qwen3", Family::kNemotronH, StartState::kReasoning,
            "Okay.\n</think>\nThe capital of Japan is Tokyo.<|im_end|>",
            {.reasoning = "Okay.", .content = "The capital of Japan is Tokyo."},
            {"</think>"}});
  run_case({"qwen3", Family::kLfm2, StartState::kMessageStart,
            "<think>Look it up.</think><|tool_call_start|>[get_weather(city=\"東京\", days=3)]"
            "<|tool_call_end|>Checking now.",
            {.reasoning = "Look it up.",
             .content = "Checking now.",
             .calls = {{"get_weather", j(R"({"city": "東京", "days": 3})")}}},
            {}});
}

TEST(TokenStream, GptOss) {
  run_case({"gptoss", Family::kGptOss, StartState::kMessageStart,
            "<|channel|>analysis<|message|>The user wants the weather in Tokyo.<|end|>"
            "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json"
            "<|message|>{\"city\":\"東京\",\"unit\":\"celsius\"}<|call|>",
            {.reasoning = "The user wants the weather in Tokyo.",
             .calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}},
            {"<|channel|>", "<|message|>", "<|end|>", "<|start|>", "<|constrain|>", "<|call|>"}});
  run_case({"gptoss", Family::kGptOss, StartState::kMessageStart,
            "<|channel|>analysis<|message|>2+3=5.<|end|><|start|>assistant<|channel|>final"
            "<|message|>答えは **5** です。<|return|>",
            {.reasoning = "2+3=5.", .content = "答えは **5** です。"},
            {"<|return|>"}});
}

TEST(TokenStream, Llama3) {
  run_case({"llama3", Family::kLlama3, StartState::kMessageStart,
            "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"東京\", \"unit\": \"celsius\"}}"
            "<|eot_id|>",
            {.calls = {{"get_weather", j(R"({"city": "東京", "unit": "celsius"})")}}},
            {"<|eot_id|>"}});
  run_case({"llama3", Family::kLlama3, StartState::kMessageStart,
            "<|python_tag|>brave_search.call(query=\"weather in Tokyo today\")<|eom_id|>",
            {.calls = {{"brave_search", j(R"({"query": "weather in Tokyo today"})")}}},
            // This is the Llama 3.0 vocabulary: 3.1's <|python_tag|> and <|eom_id|>
            // are still reserved tokens here, so they arrive as several pieces.
            {}});
}

TEST(TokenStream, DeepSeekR1) {
  run_case({"deepseek_v3", Family::kThink, StartState::kReasoning,
            "Let me compute: 2 + 3 = 5.\n</think>\n\nThe answer is 5.<｜end▁of▁sentence｜>",
            {.reasoning = "Let me compute: 2 + 3 = 5.", .content = "The answer is 5."},
            {"<｜end▁of▁sentence｜>"}});
  run_case({"deepseek_v3", Family::kThink, StartState::kReasoning,
            "Need a tool.\n</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>"
            "get_weather\n```json\n{\"city\": \"東京\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>"
            "<｜end▁of▁sentence｜>",
            {.reasoning = "Need a tool.", .calls = {{"get_weather", j(R"({"city": "東京"})")}}},
            {"<｜tool▁calls▁begin｜>", "<｜tool▁call▁begin｜>", "<｜tool▁sep｜>"}});
}

TEST(TokenStream, Gemma4OnGemma3Vocabulary) {
  run_case({"gemma3", Family::kGemma4, StartState::kMessageStart,
            "<|channel>thought\nThe user asks for the weather.<channel|><|tool_call>call:get_weather"
            "{city:<|\"|>東京<|\"|>,days:3}<tool_call|>",
            {.reasoning = "The user asks for the weather.",
             .calls = {{"get_weather", j(R"({"city": "東京", "days": 3})")}}},
            {}});
}

}  // namespace
}  // namespace hako::chat::test
