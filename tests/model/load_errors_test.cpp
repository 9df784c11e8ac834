// Hostile and malformed models: every check of the loading pipeline
// (architecture, hyper-parameters, tensor presence, shape, type, unused
// tensors) gets a file that trips it, made by copying the reference llama
// model with one change, and must fail with its one-line message. Also the
// Context's input checks (context overflow, bad token ids, truncate).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "base/error.h"
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "model_variant.h"
#include "hako/context.h"
#include "hako/model.h"
#include "support/testdata.h"

namespace hako {
namespace {

using test::MetaEdit;
using test::TensorEdit;

class LoadErrors : public ::testing::Test {
 protected:
  // Copies reference/llama/model.gguf with the edits applied and returns the
  // error message of loading it ("" if it loads).
  std::string load_variant(const MetaEdit& meta, const TensorEdit& tensor,
                           std::vector<test::ExtraTensor> extra = {}) {
    const test::TempPath path("hako_load_errors");
    test::write_variant("llama", {.meta = meta, .tensor = tensor, .extra = std::move(extra)}, path.str());
    try {
      Model::load(path.str(), LoadOptions{});
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  void expect_error(const std::string& message, const std::string& want) {
    EXPECT_NE(message.find(want), std::string::npos) << "got: '" << message << "'";
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
  }
};

TEST_F(LoadErrors, UnchangedCopyLoads) { EXPECT_EQ(load_variant(nullptr, nullptr), ""); }

TEST_F(LoadErrors, UnknownArchitecture) {
  const std::string msg = load_variant(
      [](gguf::GgufWriter& w) { w.set_string("general.architecture", "mamba9"); }, nullptr);
  expect_error(msg, "unsupported architecture 'mamba9' (supported: llama, phi3, qwen2, qwen3)");
}

TEST_F(LoadErrors, MissingRequiredKey) {
  expect_error(load_variant([](gguf::GgufWriter& w) { w.remove("llama.embedding_length"); }, nullptr),
               "metadata 'llama.embedding_length' is missing");
}

TEST_F(LoadErrors, ZeroHeads) {
  expect_error(load_variant([](gguf::GgufWriter& w) { w.set_u32("llama.attention.head_count", 0); }, nullptr),
               "'llama.attention.head_count' = 0 is out of range [1, 4096]");
}

TEST_F(LoadErrors, KvHeadsNotDividingHeads) {
  expect_error(load_variant([](gguf::GgufWriter& w) { w.set_u32("llama.attention.head_count_kv", 3); }, nullptr),
               "'llama.attention.head_count_kv' = 3 must divide 'llama.attention.head_count' = 2");
}

TEST_F(LoadErrors, AbsurdLayerCount) {
  expect_error(load_variant([](gguf::GgufWriter& w) { w.set_u32("llama.block_count", 100000); }, nullptr),
               "'llama.block_count' = 100000 is out of range [1, 1024]");
}

TEST_F(LoadErrors, HeadsNotDividingWidth) {
  expect_error(load_variant([](gguf::GgufWriter& w) {
                 w.set_u32("llama.attention.head_count", 3);
                 w.set_u32("llama.attention.head_count_kv", 3);
               }, nullptr),
               "'llama.embedding_length' = 64 is not a multiple of 'llama.attention.head_count' = 3");
}

TEST_F(LoadErrors, NanEpsilon) {
  expect_error(load_variant([](gguf::GgufWriter& w) {
                 w.set_f32("llama.attention.layer_norm_rms_epsilon", std::nanf(""));
               }, nullptr),
               "'llama.attention.layer_norm_rms_epsilon' = nan is out of range");
}

TEST_F(LoadErrors, HyperParameterDisagreesWithTensors) {
  expect_error(load_variant([](gguf::GgufWriter& w) { w.set_u32("llama.feed_forward_length", 512); }, nullptr),
               "tensor 'blk.0.ffn_gate.weight' has the wrong shape: expected [64, 512], actual [64, 256]");
}

TEST_F(LoadErrors, LlamaRopeMustCoverTheHead) {
  // embedding_length 128 makes the head 64 wide; rope.dimension_count stays 32.
  expect_error(load_variant([](gguf::GgufWriter& w) { w.set_u32("llama.embedding_length", 128); }, nullptr),
               "architecture 'llama' requires rope.dimension_count equal to the head width");
}

TEST_F(LoadErrors, MissingTensor) {
  expect_error(load_variant(nullptr, [](gguf::TensorSpec& s, auto&) { return s.name != "blk.1.ffn_down.weight"; }),
               "missing tensor 'blk.1.ffn_down.weight'");
}

TEST_F(LoadErrors, WrongShape) {
  expect_error(load_variant(nullptr, [](gguf::TensorSpec& s, std::vector<uint8_t>& d) {
                 if (s.name == "blk.0.attn_q.weight") {
                   s.ne = {64, 32};
                   d.resize(d.size() / 2);
                 }
                 return true;
               }),
               "tensor 'blk.0.attn_q.weight' has the wrong shape: expected [64, 64], actual [64, 32]");
}

TEST_F(LoadErrors, NormNotF32) {
  expect_error(load_variant(nullptr, [](gguf::TensorSpec& s, std::vector<uint8_t>& d) {
                 if (s.name == "blk.0.attn_norm.weight") {
                   s.type = GgmlType::F16;
                   d.resize(d.size() / 2);
                 }
                 return true;
               }),
               "tensor 'blk.0.attn_norm.weight' has the wrong type: expected f32, actual f16");
}

TEST_F(LoadErrors, UnsupportedMatrixType) {
  expect_error(load_variant(nullptr, [](gguf::TensorSpec& s, std::vector<uint8_t>&) {
                 if (s.name == "blk.0.attn_k.weight") s.type = GgmlType::I32;
                 return true;
               }),
               "tensor 'blk.0.attn_k.weight' has type i32, which hako cannot compute with");
}

TEST_F(LoadErrors, UnusedTensor) {
  std::vector<test::ExtraTensor> extra;
  test::ExtraTensor t;
  t.spec.name = "blk.0.extra.weight";
  t.spec.ne = {64};
  t.data.resize(256);
  extra.push_back(std::move(t));
  expect_error(load_variant(nullptr, nullptr, std::move(extra)),
               "1 tensor(s) of the file are not used by architecture 'llama': 'blk.0.extra.weight'");
}

class ContextErrors : public ::testing::Test {
 protected:
  Model model_ = Model::load(test::testdata_path("reference/llama/model.gguf"), LoadOptions{});
};

TEST_F(ContextErrors, PromptLongerThanContext) {
  Context ctx(model_, {.n_ctx = 16, .n_ubatch = 8, .n_threads = 1});
  const std::vector<int32_t> ids(17, 5);
  try {
    ctx.eval(ids, Logits::kLast);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kLimit);
    EXPECT_STREQ(e.what(), "17 tokens do not fit in the context: 0 already used of n_ctx 16");
  }
  EXPECT_EQ(ctx.n_past(), 0);
  ctx.eval(std::span(ids).first(16), Logits::kLast);  // exactly full is fine
  EXPECT_EQ(ctx.n_past(), 16);
  EXPECT_THROW(ctx.eval(std::span(ids).first(1), Logits::kLast), Error);
  EXPECT_EQ(ctx.n_past(), 16);
}

TEST_F(ContextErrors, TokenOutOfRange) {
  Context ctx(model_, {.n_ctx = 16, .n_ubatch = 8, .n_threads = 1});
  const std::vector<int32_t> ids = {1, 2, 1024};
  try {
    ctx.eval(ids, Logits::kLast);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "token id 1024 at index 2 is out of range [0, 1024)");
  }
  EXPECT_THROW(ctx.eval(std::vector<int32_t>{-1}, Logits::kLast), Error);
  EXPECT_THROW(ctx.eval(std::vector<int32_t>{}, Logits::kLast), Error);
  EXPECT_EQ(ctx.n_past(), 0);
}

TEST_F(ContextErrors, BadOptions) {
  EXPECT_THROW(Context(model_, {.n_ctx = -1, .n_ubatch = 8, .n_threads = 1}), Error);
  EXPECT_THROW(Context(model_, {.n_ctx = 16, .n_ubatch = 0, .n_threads = 1}), Error);
  EXPECT_THROW(Context(model_, {.n_ctx = 16, .n_ubatch = 8, .n_threads = 0}), Error);
}

// Truncating and re-evaluating the dropped tokens gives their logits again
// (the cells are reused, nothing of the dropped tokens leaks into them).
TEST_F(ContextErrors, TruncateThenReevaluate) {
  Context ctx(model_, {.n_ctx = 64, .n_ubatch = 64, .n_threads = 1});
  const std::vector<int32_t> ids = {1, 450, 496, 354, 701, 432, 204, 975, 300, 301};
  const std::span<const float> first = ctx.eval(ids, Logits::kAll);
  const std::vector<float> all(first.begin(), first.end());
  ctx.eval(std::vector<int32_t>{7, 8, 9}, Logits::kLast);
  ctx.truncate(4);
  EXPECT_EQ(ctx.n_past(), 4);
  const std::span<const float> again = ctx.eval(std::span(ids).subspan(4), Logits::kAll);
  const size_t nv = static_cast<size_t>(ctx.n_vocab());
  ASSERT_EQ(again.size(), 6 * nv);
  for (size_t i = 0; i < again.size(); ++i) ASSERT_NEAR(again[i], all[4 * nv + i], 1e-5) << i;
  EXPECT_THROW(ctx.truncate(11), Error);
  ctx.clear();
  EXPECT_EQ(ctx.n_past(), 0);
  const std::span<const float> fresh = ctx.eval(ids, Logits::kLast);
  for (size_t i = 0; i < nv; ++i) ASSERT_NEAR(fresh[i], all[9 * nv + i], 1e-5) << i;
}

}  // namespace
}  // namespace hako
