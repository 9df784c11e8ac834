// qwen2 has no reference logits, so it is checked against llama through an
// identity: a qwen2 file made from the llama reference model, with the rows
// of each Q and K head permuted from llama's adjacent-pair RoPE layout to
// NeoX's half-split layout, must give llama's logits (scores are invariant
// under the same permutation of Q and K). Also: zero Q/K/V biases change
// nothing, a nonzero V bias does.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "gguf/gguf_file.h"
#include "hako/context.h"
#include "hako/model.h"
#include "model_variant.h"
#include "support/testdata.h"

namespace hako {
namespace {

constexpr int64_t kHeadDim = 32;  // llama reference: n_embd 64, 2 heads, 1 KV head

const std::vector<int32_t> kPrompt = {1, 450, 496, 354, 701, 432, 204, 975, 300, 301, 77, 12};

std::vector<float> logits_of(const std::string& path) {
  const Model model = Model::load(path, LoadOptions{});
  Context ctx(model, {.n_ctx = 64, .n_ubatch = 64, .n_threads = 1});
  const std::span<const float> l = ctx.eval(kPrompt, Logits::kAll);
  return {l.begin(), l.end()};
}

// Rows 2j, 2j+1 of every head go to rows j, j + head_dim/2 (f32 rows of n_in).
void permute_to_neox(std::vector<uint8_t>& data, int64_t n_in) {
  const std::vector<uint8_t> src = data;
  const int64_t row_bytes = n_in * 4, n_rows = static_cast<int64_t>(data.size()) / row_bytes;
  for (int64_t r = 0; r < n_rows; ++r) {
    const int64_t head = r / kHeadDim, i = r % kHeadDim;
    const int64_t to = head * kHeadDim + (i % 2 == 0 ? i / 2 : i / 2 + kHeadDim / 2);
    std::memcpy(data.data() + to * row_bytes, src.data() + r * row_bytes, static_cast<size_t>(row_bytes));
  }
}

test::VariantEdits as_qwen2(std::vector<test::ExtraTensor> biases) {
  test::VariantEdits e;
  e.meta = [](gguf::GgufWriter& w) {
    const gguf::GgufFile src =
        gguf::GgufFile::open_or_throw(test::testdata_path("reference/llama/model.gguf"));
    for (const auto& [key, value] : src.metadata()) {
      if (!key.starts_with("llama.")) continue;
      w.remove(key);
      w.set_value("qwen2." + std::string(key.substr(6)), value);
    }
    w.set_string("general.architecture", "qwen2");
  };
  e.tensor = [](gguf::TensorSpec& spec, std::vector<uint8_t>& data) {
    if (spec.name.ends_with("attn_q.weight") || spec.name.ends_with("attn_k.weight")) {
      permute_to_neox(data, spec.ne[0]);
    }
    return true;
  };
  e.extra = std::move(biases);
  return e;
}

test::ExtraTensor bias(const std::string& name, int64_t n, float value) {
  std::vector<uint8_t> data(static_cast<size_t>(n) * 4);
  for (int64_t i = 0; i < n; ++i) std::memcpy(data.data() + i * 4, &value, 4);
  return {{name, GgmlType::F32, {n}}, std::move(data)};
}

double max_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(double{a[i]} - b[i]));
  return m;
}

TEST(Qwen2, PermutedLlamaGivesLlamaLogits) {
  const std::vector<float> llama = logits_of(test::testdata_path("reference/llama/model.gguf"));
  const test::TempPath path("hako_qwen2");
  test::write_variant("llama", as_qwen2({}), path.str());
  const std::vector<float> qwen2 = logits_of(path.str());
  ASSERT_EQ(qwen2.size(), llama.size());
  // Measured 0: the same products, summed in the same order. A kernel that
  // sums K.Q in another order could move logits by ~1e-6.
  const double d = max_diff(qwen2, llama);
  std::printf("qwen2 (permuted llama) vs llama: max |diff| %.2e\n", d);
  EXPECT_LE(d, 2e-5);
}

TEST(Qwen2, BiasesAreApplied) {
  const test::TempPath plain("hako_qwen2"), zero("hako_qwen2"), shifted("hako_qwen2");
  test::write_variant("llama", as_qwen2({}), plain.str());
  std::vector<test::ExtraTensor> zeros, v_shift;
  for (int il = 0; il < 2; ++il) {
    const std::string blk = "blk." + std::to_string(il) + ".";
    zeros.push_back(bias(blk + "attn_q.bias", 64, 0.0f));
    zeros.push_back(bias(blk + "attn_k.bias", 32, 0.0f));
    zeros.push_back(bias(blk + "attn_v.bias", 32, 0.0f));
    v_shift.push_back(bias(blk + "attn_v.bias", 32, 0.5f));
  }
  test::write_variant("llama", as_qwen2(std::move(zeros)), zero.str());
  test::write_variant("llama", as_qwen2(std::move(v_shift)), shifted.str());
  const std::vector<float> base = logits_of(plain.str());
  EXPECT_EQ(logits_of(zero.str()), base);
  EXPECT_GT(max_diff(logits_of(shifted.str()), base), 1e-2);
}

}  // namespace
}  // namespace hako
