// Conformance against llama.cpp: for every llama / phi3 / qwen3 folder of
// testdata/reference (F32, Q4_0, Q6_K, Q8_0), the prompt's logits from one
// batch vs logits.f32, and the greedy continuation fed one token at a time
// through the KV cache vs step_logits.f32. The same again with 2 threads and
// batches of 7 tokens that split the prompt, and with the prompt fed one
// token at a time. Prints max / median |diff| and top-1 agreement per folder.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "hako/context.h"
#include "hako/model.h"
#include "reference_folder.h"

namespace hako {
namespace {

using test::LogitsDiff;
using test::ReferenceFolder;

// Tolerances, set from what hako measures (x86-64 scalar/AVX2/AVX-512 and
// arm64 NEON under qemu).
struct Tolerance {
  double max_abs;
  double median_abs;
  double min_top1;
};
// F32: measured max 6.8e-4 (qwen3 prompt), median <= 2e-6 on x86-64 and
// <= 1.4e-5 on arm64 (llama greedy), top-1 1.000. The median is sensitive to
// the dot product's partial-sum layout: NEON with 8 partial sums measured
// 4.2e-5 on qwen3; with ggml's 16 it is 5e-6, so the bound stays at 2e-5.
// llama.cpp's own batch-vs-sequential noise on these models is up to 6.7e-4.
constexpr Tolerance kF32{.max_abs = 2e-3, .median_abs = 2e-5, .min_top1 = 1.0};
// Quantized: llama, phi3 and qwen3-Q8_0 match llama.cpp to 1e-6 (often bit
// for bit). Elsewhere one activation rounding flips now and then (float sums
// in another order than ggml's; see docs/dev/architecture.md) and moves the
// logits from that position on by one quantization step: measured over all
// folders and paths max 0.19 (qwen3-Q6_K), median 0.013 (qwen3-Q4_0), top-1
// 0.900 (qwen3-Q4_0, whose prompt has near-ties of gap 0.002). The README's
// criterion is median <= 0.05, top-1 >= 0.85.
constexpr Tolerance kQuant{.max_abs = 0.25, .median_abs = 0.02, .min_top1 = 0.875};

const Tolerance& tolerance_for(const std::string& folder) {
  return folder.find('-') == std::string::npos ? kF32 : kQuant;
}

void check(const ReferenceFolder& f, const std::string& what, std::span<const float> ours,
           std::span<const float> ref) {
  const LogitsDiff d = test::compare_logits(ours, ref, f.n_vocab);
  std::printf("  %-12s %-28s max %.2e  median %.2e  top1 %.3f\n", f.name.c_str(), what.c_str(),
              d.max_abs, d.median_abs, d.top1);
  const Tolerance& t = tolerance_for(f.name);
  EXPECT_LE(d.max_abs, t.max_abs) << f.name << " " << what;
  EXPECT_LE(d.median_abs, t.median_abs) << f.name << " " << what;
  EXPECT_GE(d.top1, t.min_top1) << f.name << " " << what;
}

// Feeds ids one eval() each and returns the concatenated last-token logits.
std::vector<float> decode_each(Context& ctx, std::span<const int32_t> ids) {
  std::vector<float> all;
  for (const int32_t id : ids) {
    const std::span<const float> l = ctx.eval(std::span(&id, 1), Logits::kLast);
    all.insert(all.end(), l.begin(), l.end());
  }
  return all;
}

class Conformance : public ::testing::TestWithParam<std::string> {};

TEST_P(Conformance, BatchPromptThenDecode) {
  const ReferenceFolder f = test::load_reference(GetParam());
  const Model model = Model::load(f.model_path, LoadOptions{});
  ASSERT_EQ(model.n_vocab(), f.n_vocab);
  Context ctx(model, {.n_ctx = 128, .n_ubatch = 512, .n_threads = 1});
  const std::span<const float> prompt = ctx.eval(f.prompt, Logits::kAll);
  check(f, "prompt, one batch", prompt, f.logits);
  check(f, "greedy, one token per eval", decode_each(ctx, f.greedy), f.step_logits);
  EXPECT_EQ(ctx.n_past(), static_cast<int32_t>(f.prompt.size() + f.greedy.size()));
}

TEST_P(Conformance, TwoThreadsBatchesOfSeven) {
  const ReferenceFolder f = test::load_reference(GetParam());
  const Model model = Model::load(f.model_path, LoadOptions{});
  Context ctx(model, {.n_ctx = 128, .n_ubatch = 7, .n_threads = 2});
  const std::span<const float> out = ctx.eval(f.prompt, Logits::kAll);
  const std::vector<float> prompt(out.begin(), out.end());  // the next eval reuses the buffer
  check(f, "prompt, 2 threads, ubatch 7", prompt, f.logits);
  check(f, "greedy, 2 threads, ubatch 7", ctx.eval(f.greedy, Logits::kAll), f.step_logits);
}

// The loader re-lays q4_0 / q8_0 weights out for the AVX-512 kernels
// (WeightLayout::kFastest, the default above); the stored layout must pass
// the same checks, and gives the other kernels' numbers.
TEST_P(Conformance, StoredLayoutBatchThenDecode) {
  const ReferenceFolder f = test::load_reference(GetParam());
  const Model model = Model::load(f.model_path, LoadOptions{.layout = WeightLayout::kAsStored});
  ASSERT_EQ(model.relaid_bytes(), 0u);
  Context ctx(model, {.n_ctx = 128, .n_ubatch = 512, .n_threads = 2});
  const std::span<const float> out = ctx.eval(f.prompt, Logits::kAll);
  const std::vector<float> prompt(out.begin(), out.end());
  check(f, "stored layout, prompt", prompt, f.logits);
  check(f, "stored layout, greedy", decode_each(ctx, f.greedy), f.step_logits);
  const Model fastest = Model::load(f.model_path, LoadOptions{});
  std::printf("  %-12s %llu of %llu weight bytes re-laid-out at load\n", f.name.c_str(),
              static_cast<unsigned long long>(fastest.relaid_bytes()),
              static_cast<unsigned long long>(fastest.weight_bytes()));
}

TEST_P(Conformance, PromptOneTokenAtATime) {
  const ReferenceFolder f = test::load_reference(GetParam());
  const Model model = Model::load(f.model_path, LoadOptions{});
  Context ctx(model, {.n_ctx = 128, .n_ubatch = 1, .n_threads = 1});
  check(f, "prompt, one token per eval", decode_each(ctx, f.prompt), f.logits);
}

INSTANTIATE_TEST_SUITE_P(Reference, Conformance,
                         ::testing::Values("llama", "llama-Q4_0", "llama-Q6_K", "llama-Q8_0",
                                           "phi3", "phi3-Q4_0", "phi3-Q6_K", "phi3-Q8_0", "qwen3",
                                           "qwen3-Q4_0", "qwen3-Q6_K", "qwen3-Q8_0"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s) c = c == '-' ? '_' : c;
                           return s;
                         });

}  // namespace
}  // namespace hako
