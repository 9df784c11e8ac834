// Model-level hostile input: the reference llama copied with one
// hyper-parameter or one tensor changed so that it contradicts the rest.
// Each must fail to load with one line that names the file, the key or
// tensor, and what was expected. Complements tests/model/load_errors_test.cpp
// (zero heads, KV heads not dividing heads, absurd layer count, width not a
// multiple of the heads, wrong tensor shape/type, missing and unused
// tensors), which these cases do not repeat.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "base/error.h"
#include "corrupt/hostile_models.h"
#include "hako/model.h"

namespace hako {
namespace {

using test::VariantEdits;

struct Case {
  const char* name;
  VariantEdits edit;
  const char* expected;  // substring of the one-line message
};

std::string load_error(const std::string& path) {
  try {
    (void)Model::load(path, LoadOptions{});
  } catch (const Error& e) {
    return e.what();
  }
  return "(loaded without error)";
}

// Edits one tensor's shape; data is resized to match (f32).
test::TensorEdit reshape(std::string name, std::vector<int64_t> ne) {
  return [name, ne](gguf::TensorSpec& s, std::vector<uint8_t>& d) {
    if (s.name == name) {
      s.ne = ne;
      int64_t n = 1;
      for (int64_t x : ne) n *= x;
      d.assign(static_cast<size_t>(n) * 4, 0);
    }
    return true;
  };
}

test::MetaEdit set_u32(std::string key, uint32_t v) {
  return [key, v](gguf::GgufWriter& w) { w.set_u32(key, v); };
}

std::vector<Case> hparam_cases() {
  return {
      {"kv_heads_above_heads", {.meta = set_u32("llama.attention.head_count_kv", 4)},
       "'llama.attention.head_count_kv' = 4 must divide 'llama.attention.head_count' = 2"},
      {"vocab_size_vs_token_embd", {.meta = set_u32("llama.vocab_size", 2048)},
       "tensor 'token_embd.weight' has the wrong shape: expected [64, 2048], actual [64, 1024]"},
      {"token_list_vs_token_embd",
       {.meta =
            [](gguf::GgufWriter& w) {
              w.remove("llama.vocab_size");
              const std::vector<std::string> tokens(1000, "x");
              w.set_string_array("tokenizer.ggml.tokens", tokens);
            }},
       "tensor 'token_embd.weight' has the wrong shape: expected [64, 1000], actual [64, 1024]"},
      {"odd_rope_dims", {.meta = set_u32("llama.rope.dimension_count", 31)},
       "'llama.rope.dimension_count' = 31 must be even and at most the head width 32"},
      {"rope_wider_than_head", {.meta = set_u32("llama.rope.dimension_count", 64)},
       "'llama.rope.dimension_count' = 64 must be even and at most the head width 32"},
      {"zero_context", {.meta = set_u32("llama.context_length", 0)},
       "'llama.context_length' = 0 is out of range [1, 1073741824]"},
      {"head_dim_limit", {.meta = set_u32("llama.attention.key_length", 100000)},
       "'llama.attention.key_length' = 100000 is out of range [1, 8192]"},
      {"attention_width_limit",
       {.meta =
            [](gguf::GgufWriter& w) {
              w.set_u32("llama.attention.head_count", 4096);
              w.set_u32("llama.attention.key_length", 8192);
              w.set_u32("llama.attention.value_length", 8192);
            }},
       "attention width head_count x head width = 33554432 exceeds hako's limit of 262144"},
      {"layer_count_as_string",
       {.meta = [](gguf::GgufWriter& w) { w.set_string("llama.block_count", "2"); }},
       "metadata 'llama.block_count' is string \"2\", expected an integer in 0..2^32-1"},
      {"width_above_u32",
       {.meta = [](gguf::GgufWriter& w) { w.set_u64("llama.embedding_length", uint64_t{1} << 40); }},
       "metadata 'llama.embedding_length' is u64 1099511627776, expected an integer in 0..2^32-1"},
      {"kv_heads_vary_by_layer",
       {.meta =
            [](gguf::GgufWriter& w) {
              const int32_t per_layer[] = {1, 2};
              w.set_i32_array("llama.attention.head_count_kv", per_layer);
            }},
       "metadata 'llama.attention.head_count_kv' differs between layers"},
      {"negative_epsilon",
       {.meta = [](gguf::GgufWriter& w) { w.set_f32("llama.attention.layer_norm_rms_epsilon", -1); }},
       "'llama.attention.layer_norm_rms_epsilon' = -1 is out of range [0, 1]"},
      {"infinite_rope_base",
       {.meta =
            [](gguf::GgufWriter& w) {
              w.set_f32("llama.rope.freq_base", std::numeric_limits<float>::infinity());
            }},
       "'llama.rope.freq_base' = inf is out of range"},
  };
}

std::vector<Case> tensor_cases() {
  return {
      {"token_embd_short_vocab", {.tensor = reshape("token_embd.weight", {64, 1023})},
       "tensor 'token_embd.weight' has the wrong shape: expected [64, 1024], actual [64, 1023]"},
      {"output_wrong_width", {.tensor = reshape("output.weight", {32, 1024})},
       "tensor 'output.weight' has the wrong shape: expected [64, 1024], actual [32, 1024]"},
      {"ffn_down_transposed", {.tensor = reshape("blk.1.ffn_down.weight", {64, 256})},
       "tensor 'blk.1.ffn_down.weight' has the wrong shape: expected [256, 64], actual [64, 256]"},
      {"attn_k_as_wide_as_q", {.tensor = reshape("blk.0.attn_k.weight", {64, 64})},
       "tensor 'blk.0.attn_k.weight' has the wrong shape: expected [64, 32], actual [64, 64]"},
      {"attn_q_three_dims", {.tensor = reshape("blk.0.attn_q.weight", {64, 32, 2})},
       "tensor 'blk.0.attn_q.weight' has the wrong shape: expected [64, 64], actual [64, 32, 2]"},
      {"norm_too_short", {.tensor = reshape("output_norm.weight", {63})},
       "tensor 'output_norm.weight' has the wrong shape: expected [64], actual [63]"},
      {"norm_as_matrix", {.tensor = reshape("blk.0.ffn_norm.weight", {64, 2})},
       "tensor 'blk.0.ffn_norm.weight' has the wrong shape: expected [64], actual [64, 2]"},
  };
}

class HostileModel : public ::testing::TestWithParam<Case> {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_ = test::temp_path("hostile_model.gguf");
};

TEST_P(HostileModel, FailsWithOneLineNamingTheField) {
  const Case& c = GetParam();
  test::write_llama_variant(path_, c.edit);
  const std::string msg = load_error(path_);
  EXPECT_NE(msg.find(c.expected), std::string::npos) << "got: " << msg;
  EXPECT_EQ(msg.rfind(path_ + ": ", 0), 0u) << "must start with the file name: " << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(HyperParameters, HostileModel, ::testing::ValuesIn(hparam_cases()),
                         case_name);
INSTANTIATE_TEST_SUITE_P(TensorShapes, HostileModel, ::testing::ValuesIn(tensor_cases()),
                         case_name);

// The unchanged copy loads: the failures above come from the one edit.
TEST(HostileModelControl, UnchangedCopyLoads) {
  const std::string path = test::temp_path("hostile_control.gguf");
  test::write_llama_variant(path, {});
  EXPECT_EQ(load_error(path), "(loaded without error)");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace hako
