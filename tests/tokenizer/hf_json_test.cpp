// Conformance: the Hugging Face tokenizer.json files in
// ../shared/testdata/tokenizers reproduce every record of expected.jsonl
// exactly (ids with and without parse-special, decoded text, round trip),
// and tokenizers/qwen3 and tokenizers/llama3 reproduce llama.cpp's
// vocab/hf-pairs vectors.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "conformance_data.h"
#include "support/testdata.h"
#include "tokenizer/tokenizer.h"

namespace hako::tokenizer {
namespace {

std::string show(const std::vector<int32_t>& ids) {
  std::string s;
  for (int32_t id : ids) s += " " + std::to_string(id);
  return s;
}

const Tokenizer& load_cached(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
  auto& slot = cache[name];
  if (!slot) slot = std::make_unique<Tokenizer>(Tokenizer::from_hf_json(test::testdata_path("tokenizers/" + name)));
  return *slot;
}

const std::vector<test::ExpectedRecord>& records() {
  static const auto r = test::read_expected_jsonl(test::testdata_path("tokenizers/expected.jsonl"));
  return r;
}

class HfJson : public ::testing::TestWithParam<std::string> {};

TEST_P(HfJson, ExpectedJsonlIds) {
  const Tokenizer& tok = load_cached(GetParam());
  int n = 0, failures = 0;
  for (const auto& r : records()) {
    if (r.tokenizer != GetParam()) continue;
    ++n;
    EncodeOptions opts;
    opts.parse_special = r.parse_special ? ParseSpecial::kYes : ParseSpecial::kNo;
    const std::vector<int32_t> got = tok.encode(r.text, opts);
    EXPECT_EQ(got, r.ids) << r.id << " parse_special=" << r.parse_special << " '" << r.text << "'\n  got:" << show(got)
                          << "\n  exp:" << show(r.ids);
    failures += got != r.ids;
  }
  EXPECT_EQ(n, 62);
  EXPECT_EQ(failures, 0);
}

TEST_P(HfJson, ExpectedJsonlDecode) {
  const Tokenizer& tok = load_cached(GetParam());
  for (const auto& r : records()) {
    if (r.tokenizer != GetParam()) continue;
    const std::string decoded = tok.decode(r.ids);
    EXPECT_EQ(decoded, r.decoded) << r.id;
    EXPECT_EQ(decoded == r.text, r.roundtrip) << r.id;
  }
}

INSTANTIATE_TEST_SUITE_P(All, HfJson, ::testing::Values("qwen3", "gemma3", "gptoss", "deepseek_v3", "llama3"));

struct PairCase {
  std::string vocab;
  std::string tokenizer;
};

class HfPairs : public ::testing::TestWithParam<PairCase> {};

TEST_P(HfPairs, MatchesLlamaCppVectors) {
  const Tokenizer& tok = load_cached(GetParam().tokenizer);
  const std::string base = test::testdata_path("vocab/hf-pairs/ggml-vocab-" + GetParam().vocab + ".gguf");
  const auto inputs = test::read_vocab_inputs(base + ".inp");
  const auto expected = test::read_vocab_outputs(base + ".out");
  ASSERT_EQ(inputs.size(), expected.size());
  ASSERT_EQ(inputs.size(), 46u);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<int32_t> got = tok.encode(inputs[i]);
    EXPECT_EQ(got, expected[i]) << "string " << i << ": '" << inputs[i] << "'\n  got:" << show(got)
                                << "\n  exp:" << show(expected[i]);
  }
}

INSTANTIATE_TEST_SUITE_P(All, HfPairs,
                         ::testing::Values(PairCase{"qwen2", "qwen3"}, PairCase{"llama-bpe", "llama3"}),
                         [](const auto& info) { return info.param.tokenizer; });

}  // namespace
}  // namespace hako::tokenizer
