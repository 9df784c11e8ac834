// Large inputs (LABELS slow: about 1 MB each, several seconds under ASan or
// qemu): mixed Japanese/English text, one 1 MB "word" that the BPE must
// merge in one piece, long whitespace runs. Each must encode to in-range ids
// and decode back to the input (NFC for Qwen3), and SentencePiece-style text
// must give the same ids with and without the SafeSplitter's cuts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_tokenizers.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/unicode.h"

namespace hako::tokenizer {
namespace {

using test::gguf_vocab;
using test::hf_tokenizer;

constexpr size_t kBytes = 1 << 20;

std::string repeat(const std::string& unit, size_t bytes) {
  std::string s;
  s.reserve(bytes + unit.size());
  while (s.size() < bytes) s += unit;
  return s;
}

std::string mixed_text() {
  return repeat(
      "ローカルLLMの推論エンジンは、GGUFファイルを読み込み、重みを4ビットに量子化して、トークンを順に返します。"
      "The engine loads GGUF files, quantizes weights to 4 bits, and streams tokens back to the user.\n"
      "ｶﾀｶﾅ と カタカナ、「かぎかっこ」。👨‍👩‍👧‍👦 1234567890\n\n",
      kBytes);
}

void expect_round_trip(const Tokenizer& tok, const std::string& text, bool nfc) {
  const std::vector<int32_t> ids = tok.encode(text);
  for (int32_t id : ids) ASSERT_TRUE(id >= 0 && id < tok.n_vocab());
  std::string expected = text;
  std::string tmp;
  if (nfc && unicode_normalize(text, NormForm::kNfc, tmp)) expected = tmp;
  const std::string back = tok.decode(ids);
  ASSERT_EQ(back.size(), expected.size());
  EXPECT_TRUE(back == expected);
}

TEST(LongInput, MixedMegabyte) {
  const std::string text = mixed_text();
  expect_round_trip(hf_tokenizer("qwen3"), text, true);
  expect_round_trip(hf_tokenizer("gemma3"), text, false);
  expect_round_trip(gguf_vocab("llama-spm"), text, false);
}

TEST(LongInput, OneMegabyteWord) {
  expect_round_trip(gguf_vocab("gpt-2"), std::string(kBytes, 'a'), false);
  // Kana without punctuation: one pre-tokenizer piece of ~1 MB for Qwen3.
  expect_round_trip(hf_tokenizer("qwen3"), repeat("あいうえおかきくけこ", kBytes), true);
  // No space and no boundary character: SentencePiece merges one long piece.
  expect_round_trip(gguf_vocab("llama-spm"), repeat("abcdefghij", kBytes), false);
}

TEST(LongInput, WhitespaceRuns) {
  const std::string spaces(kBytes, ' ');
  expect_round_trip(hf_tokenizer("qwen3"), spaces, true);
  expect_round_trip(hf_tokenizer("qwen3"), repeat(" \t\n\r\n\xE3\x80\x80", kBytes), true);
  expect_round_trip(gguf_vocab("llama-spm"), repeat("  \n", kBytes), false);
}

TEST(LongInput, SafeSplitCutsAreExactOnAMegabyte) {
  const TokenizerImpl& impl = hf_tokenizer("gemma3").impl();
  const std::string text = mixed_text();
  EncodeScratch cut, whole;
  cut.model = impl.model->make_scratch();
  whole.model = impl.model->make_scratch();
  whole.disable_safe_split = true;
  std::vector<int32_t> a, b;
  impl.encode_text(text, true, InvalidUtf8::kByteFallback, a, cut);
  impl.encode_text(text, true, InvalidUtf8::kByteFallback, b, whole);
  EXPECT_TRUE(a == b);
}

}  // namespace
}  // namespace hako::tokenizer
