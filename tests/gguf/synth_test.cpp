// Tests of `hako synth`'s writer (hako_synth): the shape table against the
// published parameter counts, llama.cpp's Q4_K_M type pattern, and tiny
// custom shapes written to disk and read back (names, shapes, types,
// metadata, vocabulary, value statistics, determinism).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include "base/error.h"
#include "cli/synth/synth_model.h"
#include "cli/synth/synth_vocab.h"
#include "gguf/gguf_file.h"
#include "quant/traits.h"

namespace hako::synth {
namespace {

namespace fs = std::filesystem;

constexpr std::array<SpecialToken, 2> kTinySpecials = {{{1000, "<|bos|>"}, {1001, "<|eos|>"}}};
constexpr VocabStyle kTinyVocab = {
    .pre = "qwen2", .special_begin = 1000, .specials = kTinySpecials, .filler_format = "[PAD%u]",
    .filler_token_type = 5, .bos_id = 1000, .eos_id = 1001, .eot_id = 1001, .pad_id = 1000,
    .add_bos = false};

ModelShape tiny(SynthArch arch) {
  ModelShape s{.name = "tiny", .hf_name = "Tiny", .arch = arch, .n_embd = 256, .n_layer = 2,
               .n_head = 4, .n_head_kv = 2, .head_dim = 64, .n_ff = 512, .n_vocab = 1024,
               .n_rot = 64, .n_ctx = 4096, .rope_theta = 10000.0f, .rms_eps = 1e-6f,
               .embeddings = Embeddings::kTied, .llama3_rope = {}, .long_rope = {},
               .sliding_window = 0, .vocab = &kTinyVocab};
  if (arch == SynthArch::kLlama) {
    s.embeddings = Embeddings::kSeparate;
    s.llama3_rope = {32.0f, 1.0f, 4.0f, 1024};
  }
  if (arch == SynthArch::kPhi3) {
    s.n_rot = 48;
    s.long_rope = {1024, 8.0f};
  }
  return s;
}

SynthType type_named(std::string_view n) {
  const auto t = parse_synth_type(n);
  HAKO_ASSERT(t.has_value());
  return *t;
}

class SynthFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hako_synth_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& n) const { return (dir_ / n).string(); }
  fs::path dir_;
};

TEST(SynthShapes, PublishedParameterCounts) {
  const SynthType f16 = type_named("f16");
  const auto params = [&](std::string_view n) {
    const ModelShape* s = find_shape(n);
    EXPECT_NE(s, nullptr) << n;
    return s ? count_params(plan_tensors(*s, f16)) : 0;
  };
  // Sums of the tensor sizes of the published safetensors checkpoints.
  EXPECT_EQ(params("qwen3-0.6b"), 596049920u);
  EXPECT_EQ(params("qwen3-8b"), 8190735360u);
  EXPECT_EQ(params("llama-3.2-1b"), 1235814400u);
  EXPECT_EQ(params("llama-3.1-8b"), 8030261248u);
  EXPECT_EQ(params("phi-4-mini"), 3836021760u);
  EXPECT_EQ(find_shape("LLAMA-3.2-1B"), find_shape("llama-3.2-1b"));
  EXPECT_EQ(find_shape("gpt-5"), nullptr);
}

TEST(SynthShapes, Q4KMFollowsLlamaQuantize) {
  const SynthType q4km = type_named("Q4_K_M");
  const auto plan = plan_tensors(*find_shape("llama-3.2-1b"), q4km);
  std::set<int> q6_v, q6_down;
  for (const PlannedTensor& t : plan) {
    if (t.role == TensorRole::kAttnV && t.type == GgmlType::Q6_K) q6_v.insert(t.layer);
    if (t.role == TensorRole::kFfnDown && t.type == GgmlType::Q6_K) q6_down.insert(t.layer);
    if (t.role == TensorRole::kAttnQ || t.role == TensorRole::kFfnUp) {
      EXPECT_EQ(t.type, GgmlType::Q4_K);
    }
    if (t.role == TensorRole::kNorm || t.role == TensorRole::kRopeFreqs) {
      EXPECT_EQ(t.type, GgmlType::F32);
    }
  }
  // 16 layers: the first and last two, and every third from layer 4.
  const std::set<int> expected = {0, 1, 4, 7, 10, 13, 14, 15};
  EXPECT_EQ(q6_v, expected);
  EXPECT_EQ(q6_down, expected);
  EXPECT_EQ(plan.front().type, GgmlType::Q6_K);  // tied token_embd doubles as the output
  const auto p8 = plan_tensors(*find_shape("qwen3-8b"), q4km);
  EXPECT_EQ(p8.front().type, GgmlType::Q4_K);
  EXPECT_EQ(p8.back().name, "output.weight");
  EXPECT_EQ(p8.back().type, GgmlType::Q6_K);
  for (const PlannedTensor& t : plan_tensors(*find_shape("phi-4-mini"), q4km)) {
    if (t.role == TensorRole::kAttnQkv) {
      EXPECT_EQ(t.type, GgmlType::Q5_K) << t.name;
    }
  }
}

TEST(SynthVocab, UniqueTokensValidMergesSpecialsInPlace) {
  const SynthVocab v = build_bpe_vocab(1024, kTinyVocab);
  ASSERT_EQ(v.tokens.size(), 1024u);
  ASSERT_EQ(v.token_types.size(), 1024u);
  EXPECT_EQ(std::set<std::string>(v.tokens.begin(), v.tokens.end()).size(), 1024u);
  EXPECT_EQ(v.tokens[0], "!");
  EXPECT_EQ(v.tokens[1000], "<|bos|>");
  EXPECT_EQ(v.token_types[1001], 3);
  EXPECT_EQ(v.tokens[1002], "[PAD1002]");
  EXPECT_EQ(v.token_types[1002], 5);
  const std::set<std::string> all(v.tokens.begin(), v.tokens.end());
  EXPECT_TRUE(all.count("\xc4\x8a"));  // "Ċ", the byte-level newline llama.cpp looks up
  ASSERT_FALSE(v.merges.empty());
  for (const std::string& m : v.merges) {
    const size_t sp = m.find(' ', 1);
    ASSERT_NE(sp, std::string::npos) << m;
    EXPECT_TRUE(all.count(m.substr(0, sp)) && all.count(m.substr(sp + 1))) << m;
    EXPECT_TRUE(all.count(m.substr(0, sp) + m.substr(sp + 1))) << m;
  }
  EXPECT_THROW(build_bpe_vocab(900, kTinyVocab), Error);
}

// Every matrix value must lie in the uniform range and have std ~0.02.
void expect_weight_stats(const gguf::TensorInfo& t) {
  std::vector<float> x(static_cast<size_t>(t.n_elements()));
  quant_traits(t.type).to_float(t.data, x.data(), t.n_elements());
  double s = 0, s2 = 0;
  for (float v : x) {
    s += v;
    s2 += double(v) * v;
  }
  const double n = static_cast<double>(x.size());
  const double mean = s / n, sd = std::sqrt(s2 / n - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.002) << t.name;
  EXPECT_NEAR(sd, 0.02, 0.0025) << t.name;  // quantization noise of q8_0/q4_K is < 10% of 0.02
}

void check_file(const std::string& path, const ModelShape& shape, const SynthType& type) {
  const gguf::GgufFile f = gguf::GgufFile::open_or_throw(path);
  const std::string a(arch_name(shape.arch));
  EXPECT_EQ(f.architecture(), a);
  EXPECT_EQ(f.get_u32(a + ".embedding_length"), shape.n_embd);
  EXPECT_EQ(f.get_u32(a + ".block_count"), shape.n_layer);
  EXPECT_EQ(f.get_u32(a + ".attention.head_count_kv"), shape.n_head_kv);
  EXPECT_EQ(f.get_u32(a + ".rope.dimension_count"), shape.n_rot);
  EXPECT_EQ(f.get_f32(a + ".rope.freq_base"), shape.rope_theta);
  EXPECT_EQ(f.get_u32("general.file_type"), type.file_type);
  EXPECT_EQ(f.get_string("tokenizer.ggml.model"), "gpt2");
  EXPECT_EQ(f.get_array("tokenizer.ggml.tokens")->array_size(), shape.n_vocab);
  EXPECT_EQ(f.get_u32("tokenizer.ggml.eos_token_id"), 1001u);
  const auto plan = plan_tensors(shape, type);
  ASSERT_EQ(f.tensors().size(), plan.size());
  for (size_t i = 0; i < plan.size(); ++i) {
    const gguf::TensorInfo& t = f.tensors()[i];
    EXPECT_EQ(t.name, plan[i].name);
    EXPECT_EQ(t.type, plan[i].type) << t.name;
    ASSERT_EQ(t.n_dims, static_cast<int>(plan[i].ne.size())) << t.name;
    for (int d = 0; d < t.n_dims; ++d) EXPECT_EQ(t.ne[d], plan[i].ne[d]) << t.name;
    if (plan[i].role == TensorRole::kNorm) {
      for (int64_t k = 0; k < t.ne[0]; ++k) {
        float v;
        std::memcpy(&v, t.data + 4 * k, 4);
        ASSERT_TRUE(v >= 0.9f && v <= 1.1f) << t.name << " " << v;
      }
    } else if (plan[i].role == TensorRole::kAttnQ || plan[i].role == TensorRole::kFfnDown ||
               plan[i].role == TensorRole::kTokenEmbd) {
      expect_weight_stats(t);
    }
  }
}

TEST_F(SynthFiles, TinyQwen3InSeveralTypes) {
  const ModelShape s = tiny(SynthArch::kQwen3);
  for (std::string_view name : {"f32", "q8_0", "q4_K_M"}) {
    const SynthType type = type_named(name);
    if (type.base != GgmlType::F32 && !has_quant_traits(type.base)) continue;  // quant layer not there yet
    const std::string p = path(std::string(name) + ".gguf");
    const SynthResult r = write_synth_model(s, {.path = p, .type = type, .seed = 7, .n_threads = 2});
    EXPECT_EQ(r.n_params, count_params(plan_tensors(s, type)));
    check_file(p, s, type);
  }
  const gguf::GgufFile f = gguf::GgufFile::open_or_throw(path("f32.gguf"));
  EXPECT_NE(f.find_tensor("blk.1.attn_k_norm.weight"), nullptr);
  EXPECT_EQ(f.find_tensor("output.weight"), nullptr);  // tied
}

TEST_F(SynthFiles, SameSeedSameBytesWhateverTheThreads) {
  const ModelShape s = tiny(SynthArch::kQwen3);
  const SynthType q8 = type_named("q8_0");
  write_synth_model(s, {.path = path("a.gguf"), .type = q8, .seed = 3, .n_threads = 1});
  write_synth_model(s, {.path = path("b.gguf"), .type = q8, .seed = 3, .n_threads = 3});
  write_synth_model(s, {.path = path("c.gguf"), .type = q8, .seed = 4, .n_threads = 3});
  const auto a = gguf::GgufFile::open_or_throw(path("a.gguf"));
  const auto b = gguf::GgufFile::open_or_throw(path("b.gguf"));
  const auto c = gguf::GgufFile::open_or_throw(path("c.gguf"));
  ASSERT_EQ(a.file_size(), b.file_size());
  EXPECT_EQ(std::memcmp(a.bytes(), b.bytes(), a.file_size()), 0);
  const auto* ta = a.find_tensor("blk.0.ffn_up.weight");
  const auto* tc = c.find_tensor("blk.0.ffn_up.weight");
  EXPECT_NE(std::memcmp(ta->data, tc->data, ta->n_bytes), 0);
  // Rows differ from each other (blocks are drawn independently per row).
  EXPECT_NE(std::memcmp(ta->data, ta->data + ta->n_bytes / 2, ta->n_bytes / 4), 0);
}

TEST_F(SynthFiles, TinyLlamaHasLlama3RopeFactors) {
  const ModelShape s = tiny(SynthArch::kLlama);
  write_synth_model(s, {.path = path("l.gguf"), .type = type_named("f16"), .seed = 1, .n_threads = 2});
  const auto f = gguf::GgufFile::open_or_throw(path("l.gguf"));
  const auto* rf = f.find_tensor("rope_freqs.weight");
  ASSERT_NE(rf, nullptr);
  ASSERT_EQ(rf->ne[0], 32);
  std::vector<float> v(32);
  std::memcpy(v.data(), rf->data, 128);
  EXPECT_EQ(v.front(), 1.0f);   // highest frequency: unscaled
  EXPECT_EQ(v.back(), 32.0f);   // lowest frequency: scaled by the factor
  for (size_t i = 1; i < v.size(); ++i) EXPECT_GE(v[i], v[i - 1]);
  EXPECT_NE(f.find_tensor("output.weight"), nullptr);
  EXPECT_EQ(f.find_tensor("output.weight")->type, GgmlType::F16);
}

TEST_F(SynthFiles, TinyPhi3FusedTensorsAndLongRope) {
  const ModelShape s = tiny(SynthArch::kPhi3);
  write_synth_model(s, {.path = path("p.gguf"), .type = type_named("q8_0"), .seed = 1, .n_threads = 2});
  const auto f = gguf::GgufFile::open_or_throw(path("p.gguf"));
  const auto* qkv = f.find_tensor("blk.0.attn_qkv.weight");
  ASSERT_NE(qkv, nullptr);
  EXPECT_EQ(qkv->ne[1], 256 + 2 * 128);
  EXPECT_EQ(f.find_tensor("blk.1.ffn_up.weight")->ne[1], 2 * 512);
  EXPECT_EQ(f.find_tensor("blk.0.ffn_gate.weight"), nullptr);
  EXPECT_EQ(f.find_tensor("rope_factors_long.weight")->ne[0], 24);
  EXPECT_EQ(f.get_u32("phi3.rope.scaling.original_context_length"), 1024u);
  EXPECT_NEAR(*f.get_f32("phi3.rope.scaling.attn_factor"), std::sqrt(1.0 + std::log(4.0) / std::log(1024.0)), 1e-6);
}

}  // namespace
}  // namespace hako::synth
