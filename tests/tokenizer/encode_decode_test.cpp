// Behaviour tests beyond the shared vectors: special-token modes, BOS/EOS,
// end-of-generation sets, the reference models' prompts, hard inputs
// (Japanese NFC/NFD, half-width kana, emoji ZWJ sequences, long whitespace
// runs, invalid UTF-8) with decode(encode(x)) round trips, and decoding.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "support/testdata.h"
#include "test_tokenizers.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

namespace hako::tokenizer {
namespace {

using test::gguf_vocab;
using test::hf_tokenizer;

const EncodeOptions kParse{.add_special = AddSpecial::kNo, .parse_special = ParseSpecial::kYes};

std::vector<std::string> hard_cases() {
  return {
      "",
      " ",
      "が か\xE3\x82\x99 パ \xE3\x83\x8F\xE3\x82\x9A",                      // precomposed vs NFD kana
      "\xEF\xBD\xB6\xEF\xBE\x80\xEF\xBD\xB6\xEF\xBE\x85 \xEF\xBE\x83\xEF\xBE\x9E\xEF\xBD\xB0\xEF\xBE\x80",  // ｶﾀｶﾅ ﾃﾞｰﾀ
      "日本語のテキスト、「かぎかっこ」『二重』（全角）！？　全角スペース。",
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6 "
      "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xF0\x9F\x87\xAF\xF0\x9F\x87\xB5 \xE2\x9D\xA4\xEF\xB8\x8F",  // ZWJ family, skin tone, flag, VS16
      std::string(1000, ' ') + "x" + std::string(300, '\t') + "\n\n\n" + std::string(200, ' '),
      "\xE3\x80\x80\xE3\x80\x80\xE3\x80\x80 \xC2\xA0\xC2\xA0 end",  // ideographic and no-break spaces
      "line one\r\nline two\rline three\n",
      "caf\xC3\xA9 cafe\xCC\x81 \xE2\x84\xAB \xCC\x81leading mark",
      "Ωμέγα Кириллица עברית العربية हिन्दी ไทย ქართული",
      "def f(x):\n    return x ** 2  # comment\n",
      "zero\xE2\x80\x8Bwidth\xE2\x80\x8Cjoiner\xEF\xBB\xBF",
      "12345678901234567890 3.14159 1,000,000 １２３",
      "<|im_start|> <think> <start_of_turn> [INST]",
  };
}

// decode(encode(x)) == x, except where the reference itself does not round
// trip: Qwen3 normalizes to NFC, and Gemma 3 decodes U+2581 as a space.
void expect_round_trips(const Tokenizer& tok, const std::string& name) {
  for (const std::string& text : hard_cases()) {
    std::string expected = text;
    if (name == "qwen3") {
      std::string nfc;
      if (unicode_normalize(text, NormForm::kNfc, nfc)) expected = nfc;
    }
    const std::vector<int32_t> ids = tok.encode(text);
    for (int32_t id : ids) ASSERT_TRUE(id >= 0 && id < tok.n_vocab());
    EXPECT_EQ(tok.decode(ids), expected) << name << ": '" << text << "'";
  }
}

TEST(RoundTrip, HardCasesQwen3) { expect_round_trips(hf_tokenizer("qwen3"), "qwen3"); }
TEST(RoundTrip, HardCasesGemma3) { expect_round_trips(hf_tokenizer("gemma3"), "gemma3"); }
TEST(RoundTrip, HardCasesGpt2Gguf) { expect_round_trips(gguf_vocab("gpt-2"), "gpt-2"); }
TEST(RoundTrip, HardCasesLlamaSpmGguf) { expect_round_trips(gguf_vocab("llama-spm"), "llama-spm"); }

TEST(SpecialTokens, PlainAndParseSpecialModes) {
  const Tokenizer& tok = hf_tokenizer("qwen3");
  const int32_t im_start = tok.find_token("<|im_start|>");
  const int32_t think = tok.find_token("<think>");
  ASSERT_GE(im_start, 0);
  ASSERT_GE(think, 0);
  const auto plain = tok.encode("<|im_start|>user<think>");
  const auto parsed = tok.encode("<|im_start|>user<think>", kParse);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), im_start), 0);
  EXPECT_EQ(parsed.front(), im_start);
  // <think> is a non-special added token: matched in both modes.
  EXPECT_EQ(plain.back(), think);
  EXPECT_EQ(parsed.back(), think);
  EXPECT_EQ(tok.decode(plain), "<|im_start|>user<think>");
  EXPECT_EQ(tok.decode(parsed), "<|im_start|>user<think>");
  EXPECT_EQ(tok.decode(parsed, {.special = SpecialTokens::kHide}), "user<think>");
}

TEST(SpecialTokens, AddSpecialFollowsMetadata) {
  const EncodeOptions add{.add_special = AddSpecial::kYes};
  const Tokenizer& spm = gguf_vocab("llama-spm");
  EXPECT_TRUE(spm.add_bos());
  EXPECT_EQ(spm.encode("Hello", add).front(), 1);
  EXPECT_EQ(spm.encode("", add), std::vector<int32_t>{1});
  const Tokenizer& bert = gguf_vocab("bert-bge");
  const auto ids = bert.encode("Hello", add);
  EXPECT_EQ(ids.front(), 101);
  EXPECT_EQ(ids.back(), 102);
  const Tokenizer& qwen = hf_tokenizer("qwen3");
  EXPECT_FALSE(qwen.add_bos());
  EXPECT_EQ(qwen.encode("Hello", add), qwen.encode("Hello"));
  const Tokenizer& gemma = hf_tokenizer("gemma3");
  EXPECT_EQ(gemma.encode("Hello", add).front(), gemma.find_token("<bos>"));
}

TEST(SpecialTokens, EndOfGeneration) {
  const Tokenizer& qwen = hf_tokenizer("qwen3");
  EXPECT_TRUE(qwen.is_eog(qwen.find_token("<|im_end|>")));
  EXPECT_TRUE(qwen.is_eog(qwen.find_token("<|endoftext|>")));
  EXPECT_FALSE(qwen.is_eog(qwen.find_token("<|im_start|>")));
  EXPECT_FALSE(qwen.is_eog(qwen.find_token("Hello")));
  const Tokenizer& oss = hf_tokenizer("gptoss");
  EXPECT_TRUE(oss.is_eog(oss.find_token("<|return|>")));
  EXPECT_TRUE(oss.is_eog(oss.find_token("<|call|>")));
  EXPECT_FALSE(oss.is_eog(oss.find_token("<|end|>")));  // ends a message, not the turn
  EXPECT_FALSE(oss.is_special(oss.find_token("<|channel|>")));  // kept visible for output parsers
  const Tokenizer& llama3 = hf_tokenizer("llama3");
  EXPECT_TRUE(llama3.is_eog(llama3.find_token("<|eot_id|>")));
  EXPECT_TRUE(llama3.is_eog(llama3.find_token("<|end_of_text|>")));
  const Tokenizer& gemma = hf_tokenizer("gemma3");
  EXPECT_TRUE(gemma.is_eog(gemma.find_token("<end_of_turn>")));
  EXPECT_TRUE(gemma.is_eog(gemma.find_token("<eos>")));
  EXPECT_EQ(gemma.eos(), gemma.find_token("<end_of_turn>"));
}

// Every reference model's prompt.json was made by llama-tokenize with BOS.
TEST(ReferenceModels, PromptIdsMatchLlamaTokenize) {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& dir : fs::directory_iterator(test::testdata_path("reference"))) {
    if (!fs::exists(dir.path() / "prompt.json")) continue;
    const auto prompt = nlohmann::json::parse(test::read_file((dir.path() / "prompt.json").string()));
    const Tokenizer tok = Tokenizer::from_gguf_path((dir.path() / "model.gguf").string());
    const auto ids = tok.encode(prompt["text"].get<std::string>(), {.add_special = AddSpecial::kYes});
    EXPECT_EQ(ids, prompt["ids"].get<std::vector<int32_t>>()) << dir.path();
    ++n;
  }
  EXPECT_GE(n, 12);
}

TEST(InvalidUtf8, ByteFallbackOrReject) {
  const Tokenizer& gpt2 = gguf_vocab("gpt-2");
  const std::string bad = "ab\xFF" "cd\xE3\x81";
  const auto ids = gpt2.encode(bad);
  EXPECT_EQ(gpt2.decode(ids, {.invalid = InvalidOutput::kRaw}), bad);
  EXPECT_EQ(gpt2.decode(ids), "ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD");
  EXPECT_THROW(gpt2.encode(bad, {.invalid_utf8 = InvalidUtf8::kReject}), Error);
  const Tokenizer& spm = gguf_vocab("llama-spm");
  const auto sids = spm.encode("\xFF");
  EXPECT_EQ(sids.back(), spm.find_token("<0xFF>"));
  EXPECT_EQ(spm.decode(sids, {.invalid = InvalidOutput::kRaw}), "\xFF");
  // Qwen3 normalizes (NFC) valid runs only; the invalid byte stays a byte token.
  const Tokenizer& qwen = hf_tokenizer("qwen3");
  EXPECT_EQ(qwen.decode(qwen.encode("\xE3\x81\x8B\xE3\x82\x99\xC0"), {.invalid = InvalidOutput::kRaw}),
            "\xE3\x81\x8C\xC0");
}

TEST(Decode, OutOfRangeIdsAreSkipped) {
  const Tokenizer& tok = gguf_vocab("gpt-2");
  const std::vector<int32_t> ids = {-5, tok.find_token("Hello"), 1 << 30};
  EXPECT_EQ(tok.decode(ids), "Hello");
  EXPECT_EQ(tok.token_text(-1), "");
  EXPECT_EQ(tok.token_piece(tok.find_token("\xC4\xA0the")), " the");
}

TEST(Decode, SentencePieceLeadingSpace) {
  const Tokenizer& tok = gguf_vocab("llama-spm");
  const auto ids = tok.encode("Hello world");
  EXPECT_EQ(tok.decode(ids), "Hello world");
  EXPECT_EQ(tok.decode(tok.encode("Hello world", {.add_special = AddSpecial::kYes}), {.special = SpecialTokens::kHide}),
            "Hello world");
}

TEST(Decode, CleanUpSpaces) {
  const Tokenizer& tok = hf_tokenizer("llama3");  // its config asks for clean-up
  const auto ids = tok.encode("Hello , world !");
  EXPECT_EQ(tok.decode(ids), "Hello , world !");
  EXPECT_EQ(tok.decode(ids, {.cleanup = CleanUp::kModelDefault}), "Hello, world!");
}

}  // namespace
}  // namespace hako::tokenizer
