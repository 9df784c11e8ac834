// Cross-check of the GGUF path with real vocabularies: the tokenizer.json
// vocabularies of qwen3, llama3, gpt-oss and DeepSeek-V3 are written as GGUF
// files (tokenizer.ggml.model = gpt2 with the `tokenizer.ggml.pre` name
// llama.cpp's converter gives those models) and must reproduce every
// expected.jsonl record, in both parse-special modes. This tests the
// pre-tokenizer table (qwen2, llama-bpe, gpt-4o, deepseek-v3) and the GGUF
// loader on 128k-200k vocabularies.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "conformance_data.h"
#include "gguf/gguf_writer.h"
#include "support/testdata.h"
#include "test_tokenizers.h"
#include "tokenizer/hf_json_reader.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace hako::tokenizer {
namespace {

struct Case {
  std::string tokenizer;
  std::string pre;
};

std::string write_gguf(const Case& c) {
  const Tokenizer& json_tok = test::hf_tokenizer(c.tokenizer);
  const std::string json_path = test::testdata_path("tokenizers/" + c.tokenizer + "/tokenizer.json.gz");
  HfJsonDoc doc = parse_hf_tokenizer_json(read_maybe_gz(json_path), json_path);
  std::vector<std::string> tokens(size_t(json_tok.n_vocab()));
  std::vector<int32_t> types(tokens.size());
  for (int32_t id = 0; id < json_tok.n_vocab(); ++id) {
    tokens[size_t(id)] = std::string(json_tok.token_text(id));
    types[size_t(id)] = int32_t(json_tok.impl().vocab.attrs[size_t(id)]);
  }
  std::vector<std::string> merges;
  for (auto& [a, b] : doc.merges) merges.push_back(a + " " + b);
  gguf::GgufWriter w;
  w.set_string("general.architecture", "test");
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_string("tokenizer.ggml.pre", c.pre);
  w.set_string_array("tokenizer.ggml.tokens", tokens);
  w.set_i32_array("tokenizer.ggml.token_type", types);
  w.set_string_array("tokenizer.ggml.merges", merges);
  if (json_tok.eos() >= 0) w.set_u32("tokenizer.ggml.eos_token_id", uint32_t(json_tok.eos()));
  const std::string path =
      (std::filesystem::temp_directory_path() / ("hako_tok_test_" + c.tokenizer + ".gguf")).string();
  w.write_or_throw(path);
  return path;
}

class GgufFromJson : public ::testing::TestWithParam<Case> {};

TEST_P(GgufFromJson, ReproducesExpectedJsonl) {
  const std::string path = write_gguf(GetParam());
  const Tokenizer tok = Tokenizer::from_gguf_path(path);
  std::filesystem::remove(path);
  EXPECT_EQ(tok.n_vocab(), test::hf_tokenizer(GetParam().tokenizer).n_vocab());
  static const auto records = test::read_expected_jsonl(test::testdata_path("tokenizers/expected.jsonl"));
  int n = 0;
  for (const auto& r : records) {
    if (r.tokenizer != GetParam().tokenizer) continue;
    ++n;
    EncodeOptions opts;
    opts.parse_special = r.parse_special ? ParseSpecial::kYes : ParseSpecial::kNo;
    EXPECT_EQ(tok.encode(r.text, opts), r.ids) << r.id << " parse_special=" << r.parse_special;
    EXPECT_EQ(tok.decode(r.ids), r.decoded) << r.id;
  }
  EXPECT_EQ(n, 62);
}

INSTANTIATE_TEST_SUITE_P(All, GgufFromJson,
                         ::testing::Values(Case{"qwen3", "qwen2"}, Case{"llama3", "llama-bpe"},
                                           Case{"gptoss", "gpt-4o"}, Case{"deepseek_v3", "deepseek-v3"}),
                         [](const auto& info) { return info.param.tokenizer; });

}  // namespace
}  // namespace hako::tokenizer
