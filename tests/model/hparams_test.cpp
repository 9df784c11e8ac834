// Hyper-parameters read through the field table: values and defaults for the
// reference models of each architecture, and describe() listing every key.
#include <gtest/gtest.h>

#include "gguf/gguf_file.h"
#include "model/hparams.h"
#include "support/testdata.h"

namespace hako::model {
namespace {

HParams read(const std::string& folder) {
  const auto f = gguf::GgufFile::open_or_throw(test::testdata_path("reference/" + folder + "/model.gguf"));
  return read_hparams(f, f.architecture());
}

TEST(HParams, ReadsReferenceModels) {
  const HParams llama = read("llama");
  EXPECT_EQ(llama.arch, "llama");
  EXPECT_EQ(llama.n_embd, 64u);
  EXPECT_EQ(llama.n_layer, 2u);
  EXPECT_EQ(llama.n_head, 2u);
  EXPECT_EQ(llama.n_head_kv, 1u);            // GQA 2:1
  EXPECT_EQ(llama.n_embd_head_k, 32u);       // default n_embd / n_head
  EXPECT_EQ(llama.n_rot, 32u);
  EXPECT_EQ(llama.n_vocab, 1024u);
  EXPECT_EQ(llama.n_ctx_orig_yarn, 4096u);   // default context_length
  EXPECT_FLOAT_EQ(llama.rope_freq_base, 500000.0f);
  EXPECT_EQ(llama.rope_scaling, RopeScaling::kLinear);

  const HParams qwen3 = read("qwen3");
  EXPECT_EQ(qwen3.n_embd_head_k, 64u);       // attention.key_length
  EXPECT_EQ(qwen3.n_embd_q(), 256u);         // wider than n_embd
  EXPECT_EQ(read("phi3").n_vocab, 1035u);

  const std::string text = describe(llama);
  EXPECT_NE(text.find("attention.head_count_kv = 1"), std::string::npos) << text;
  EXPECT_NE(text.find("rope.scaling.type = linear"), std::string::npos) << text;
}

}  // namespace
}  // namespace hako::model
