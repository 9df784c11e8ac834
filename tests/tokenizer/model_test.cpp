// Tests of the tokenizer's internal algorithms against each other: the BPE
// linear scan against the heap on random words, the SafeSplitter's cuts
// against uncut encoding, and the stream decoder against whole decoding
// (never emitting half a UTF-8 character, also across byte-fallback tokens).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "test_tokenizers.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/stream_decoder.h"
#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {
namespace {

using test::gguf_vocab;
using test::hf_tokenizer;

// Random text over a pool of pieces that mix scripts, spaces and punctuation.
std::string random_text(std::mt19937& rng, int n_pieces) {
  static const char* const kPool[] = {
      "the", " the", "ing", " world", "Hello", "  ", " ", "\n", "\n\n", "\t", ",", ".", "!", "'s", "123", "4",
      "日本", "語", "の", "テキスト", "、", "。", "「", "」", "は", "が", "か\xE3\x82\x99", "ｶﾀｶﾅ", "　",
      "\xE2\x96\x81", "\xE2\x96\x81\xE2\x96\x81", "😀", "👨‍👩‍👧", "é", "e\xCC\x81", "Кирилл", "ไทย", "<", ">", "/",
  };
  std::string s;
  for (int i = 0; i < n_pieces; ++i) s += kPool[rng() % (sizeof(kPool) / sizeof(kPool[0]))];
  return s;
}

TEST(Bpe, LinearScanAndHeapAgree) {
  for (const char* name : {"gpt-2", "deepseek-llm"}) {
    const Tokenizer& tok = gguf_vocab(name);
    const auto* bpe = dynamic_cast<const BpeModel*>(tok.impl().model.get());
    ASSERT_NE(bpe, nullptr);
    auto scratch = bpe->make_scratch();
    std::mt19937 rng(7);
    for (int iter = 0; iter < 400; ++iter) {
      const std::string text = random_text(rng, 1 + int(rng() % 40));
      // Initial symbols: the token of each byte's byte-level character.
      std::vector<int32_t> a;
      for (char c : text) {
        std::string spelled;
        byte_level_encode(std::string_view(&c, 1), spelled);
        a.push_back(tok.find_token(spelled));
      }
      ASSERT_EQ(std::count(a.begin(), a.end(), -1), 0);
      std::vector<int32_t> b = a;
      bpe->merge(a, *scratch, BpeModel::MergeAlgo::kLinear);
      bpe->merge(b, *scratch, BpeModel::MergeAlgo::kHeap);
      ASSERT_EQ(a, b) << name << " iter " << iter;
    }
  }
}

// Encoding with the SafeSplitter's cuts equals encoding without them.
void expect_cuts_exact(const Tokenizer& tok, const char* name) {
  const TokenizerImpl& impl = tok.impl();
  ASSERT_TRUE(impl.safe_split.enabled()) << name;
  std::mt19937 rng(11);
  size_t n_cuts = 0;
  for (int iter = 0; iter < 300; ++iter) {
    const std::string text = random_text(rng, 1 + int(rng() % 60));
    std::vector<uint32_t> cuts;
    impl.safe_split.find_cuts(text, cuts);
    n_cuts += cuts.size();
    EncodeScratch cut, whole;
    cut.model = impl.model->make_scratch();
    whole.model = impl.model->make_scratch();
    whole.disable_safe_split = true;
    std::vector<int32_t> a, b;
    impl.encode_text(text, true, InvalidUtf8::kByteFallback, a, cut);
    impl.encode_text(text, true, InvalidUtf8::kByteFallback, b, whole);
    ASSERT_EQ(a, b) << name << ": '" << text << "'";
  }
  EXPECT_GT(n_cuts, 300u) << name << ": the comparison must include cut texts";
}

TEST(SafeSplit, CutsDoNotChangeTokensGemma3) { expect_cuts_exact(hf_tokenizer("gemma3"), "gemma3"); }
TEST(SafeSplit, CutsDoNotChangeTokensLlamaSpm) { expect_cuts_exact(gguf_vocab("llama-spm"), "llama-spm"); }

void expect_stream_matches(const Tokenizer& tok, const char* name) {
  std::mt19937 rng(3);
  for (int iter = 0; iter < 200; ++iter) {
    const std::string text = random_text(rng, 1 + int(rng() % 30));
    const std::vector<int32_t> ids = tok.encode(text);
    StreamDecoder stream(tok);
    std::string joined;
    for (int32_t id : ids) {
      const std::string part = stream.push(id);
      ASSERT_TRUE(utf8_is_valid(part)) << name;
      ASSERT_EQ(utf8_incomplete_tail(part), 0u);
      joined += part;
    }
    joined += stream.flush();
    ASSERT_EQ(joined, tok.decode(ids)) << name << ": '" << text << "'";
  }
}

TEST(Stream, MatchesWholeDecodeQwen3) { expect_stream_matches(hf_tokenizer("qwen3"), "qwen3"); }
TEST(Stream, MatchesWholeDecodeGemma3) { expect_stream_matches(hf_tokenizer("gemma3"), "gemma3"); }
TEST(Stream, MatchesWholeDecodeLlamaSpm) { expect_stream_matches(gguf_vocab("llama-spm"), "llama-spm"); }

TEST(Stream, HoldsBackByteFallbackCharacters) {
  const Tokenizer& tok = gguf_vocab("llama-spm");
  // U+1F999 is not in the Llama 2 vocabulary: four <0xNN> tokens.
  const std::vector<int32_t> ids = tok.encode("\xF0\x9F\xA6\x99");
  ASSERT_EQ(ids.size(), 5u);  // "▁" + 4 bytes
  StreamDecoder stream(tok);
  EXPECT_EQ(stream.push(ids[0]), "");  // the leading space of the first token is dropped
  EXPECT_EQ(stream.push(ids[1]), "");
  EXPECT_EQ(stream.push(ids[2]), "");
  EXPECT_EQ(stream.push(ids[3]), "");
  EXPECT_EQ(stream.pending_bytes(), 3u);
  EXPECT_EQ(stream.push(ids[4]), "\xF0\x9F\xA6\x99");
  EXPECT_EQ(stream.flush(), "");
}

TEST(Stream, BrokenSequenceBecomesReplacement) {
  const Tokenizer& tok = gguf_vocab("llama-spm");
  StreamDecoder stream(tok);
  EXPECT_EQ(stream.push(tok.find_token("<0xE3>")), "");
  EXPECT_EQ(stream.push(tok.find_token("<0x81>")), "");
  EXPECT_EQ(stream.push(tok.find_token("A")), "\xEF\xBF\xBD" "A");
  EXPECT_EQ(stream.push(tok.find_token("<0xE3>")), "");
  EXPECT_EQ(stream.flush(), "\xEF\xBF\xBD");
  StreamDecoder raw(tok, {.invalid = InvalidOutput::kRaw});
  EXPECT_EQ(raw.push(tok.find_token("<0xE3>")), "");
  EXPECT_EQ(raw.flush(), "\xE3");
}

TEST(Stream, HidesSpecialTokensOnRequest) {
  const Tokenizer& tok = hf_tokenizer("qwen3");
  StreamDecoder stream(tok, {.special = SpecialTokens::kHide});
  EXPECT_EQ(stream.push(tok.find_token("<|im_end|>")), "");
  EXPECT_EQ(stream.push(tok.find_token("Hello")), "Hello");
}

}  // namespace
}  // namespace hako::tokenizer
