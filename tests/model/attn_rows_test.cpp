// The attention row primitives (src/kernels/ops/attn_rows.h): the scalar
// reference's exp against libm, and every SIMD level this build and CPU have
// (AVX2, AVX-512) against the reference bit for bit, on random and edge
// inputs: cell counts and dims off every block size, GQA groups 1-8, strided
// rows, zero and negative-zero probabilities, runs of masked cells, f16
// rounding edges, -0 outputs and inf/NaN in skipped V rows; the tile
// variants (many query rows) the same. On a machine or build without a SIMD
// level (ARM64) the level tests skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "base/fp16.h"
#include "kernels/ops/attn_rows.h"
#include "support/random_vec.h"

namespace hako::ops {
namespace {

using test::random_vec;

// Bit patterns, so that -0 and +0 differ and NaNs compare.
std::vector<uint32_t> bits(const std::vector<float>& v) {
  std::vector<uint32_t> b(v.size());
  std::memcpy(b.data(), v.data(), v.size() * sizeof(float));
  return b;
}

// The SIMD levels available here (not the reference).
std::vector<const AttnRowKernels*> simd_levels() {
  std::vector<const AttnRowKernels*> out;
  for (const AttnRowKernels* k : {attn_row_kernels_avx2(), attn_row_kernels_avx512()}) {
    if (k != nullptr) out.push_back(k);
  }
  return out;
}

TEST(OpsAttnRows, ExpMatchesLibm) {
  for (float x = -87.0f; x <= 0.0f; x += 0.173f) {
    EXPECT_NEAR(exp_ggml(x), std::exp(x), 2.5e-7 * std::exp(x)) << x;  // measured 2.1e-7 (~1.8 ulp)
  }
  EXPECT_EQ(exp_ggml(-std::numeric_limits<float>::infinity()), 0.0f);
  EXPECT_EQ(exp_ggml(-200.0f), 0.0f);
  EXPECT_EQ(exp_ggml(0.0f), 1.0f);
}

// The reference's max and exp sum against plain loops: NaNs passed over,
// -inf for an empty or fully masked row, sum in double of the new values.
TEST(OpsAttnRows, ReferenceMaxAndExpSum) {
  const AttnRowKernels& ref = attn_row_kernels_ref();
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> x = {-inf, 1.0f, std::nanf(""), 3.0f, -2.0f, 3.0f, 0.5f, -inf, 2.0f, 1.0f, -1.0f};
  EXPECT_EQ(ref.max(x.data(), 0), -inf);
  EXPECT_EQ(ref.max(x.data(), 1), -inf);
  EXPECT_EQ(ref.max(x.data(), static_cast<int32_t>(x.size())), 3.0f);
  x[2] = 0.0f;
  double want = 0.0;
  for (float v : x) want += std::exp(static_cast<double>(v) - 3.0);
  EXPECT_NEAR(ref.exp_sub(x.data(), static_cast<int32_t>(x.size()), 3.0f), want, 1e-6 * want);
  EXPECT_EQ(x[0], 0.0f);
  EXPECT_EQ(x[3], 1.0f);
}

TEST(OpsAttnRows, ChosenLevelIsBestOrForced) {
  const AttnRowKernels& chosen = attn_row_kernels();
  const auto levels = simd_levels();
  if (std::getenv("HAKO_KERNELS") != nullptr) GTEST_SKIP() << "HAKO_KERNELS set";
  EXPECT_EQ(&chosen, levels.empty() ? &attn_row_kernels_ref() : levels.back()) << chosen.name;
}

// dot, axpy, exp and f16 rounding of one row, every SIMD level.
TEST(OpsAttnRows, SimdElementwiseMatchesReferenceBitForBit) {
  const auto levels = simd_levels();
  if (levels.empty()) GTEST_SKIP() << "no SIMD level on this machine/build";
  const AttnRowKernels& ref = attn_row_kernels_ref();
  for (const AttnRowKernels* simd : levels) {
    for (const int32_t n : {1, 7, 8, 13, 15, 16, 17, 31, 33, 64, 128, 131}) {
      auto x = random_vec(static_cast<size_t>(n), static_cast<uint32_t>(n), 3.0f);
      const auto q = random_vec(static_cast<size_t>(n), 100 + static_cast<uint32_t>(n));
      x[0] = 65519.0f;  // f16 rounding edges: largest finite, overflow, subnormal
      if (n > 2) x[1] = 1e5f, x[2] = 3e-6f;
      std::vector<uint16_t> h_ref(static_cast<size_t>(n)), h_simd(static_cast<size_t>(n));
      ref.to_f16_scaled(x.data(), 1.0f, h_ref.data(), n);
      simd->to_f16_scaled(x.data(), 1.0f, h_simd.data(), n);
      EXPECT_EQ(h_ref, h_simd) << simd->name << " " << n;
      x[0] = 1.5f;
      if (n > 2) x[1] = -2.0f;
      ref.to_f16_scaled(x.data(), 0.37f, h_ref.data(), n);
      EXPECT_EQ(bits({ref.dot_f16(h_ref.data(), q.data(), n)}), bits({simd->dot_f16(h_ref.data(), q.data(), n)}))
          << simd->name << " " << n;
      std::vector<float> y_ref = q, y_simd = q;
      ref.axpy_f16(0.71f, h_ref.data(), y_ref.data(), n);
      simd->axpy_f16(0.71f, h_ref.data(), y_simd.data(), n);
      EXPECT_EQ(bits(y_ref), bits(y_simd)) << simd->name << " " << n;
      std::vector<float> e_ref = x, e_simd = x;
      e_ref[0] = e_simd[0] = -std::numeric_limits<float>::infinity();  // a masked cell
      if (n > 3) e_ref[3] = e_simd[3] = -100.0f;                        // underflows to 0
      if (n > 4) e_ref[4] = e_simd[4] = 95.0f;                          // overflows to +inf
      EXPECT_EQ(ref.max(e_ref.data(), n), simd->max(e_simd.data(), n)) << simd->name << " " << n;
      const double sum_ref = ref.exp_sub(e_ref.data(), n, 2.5f);
      const double sum_simd = simd->exp_sub(e_simd.data(), n, 2.5f);
      EXPECT_EQ(bits(e_ref), bits(e_simd)) << simd->name << " " << n;
      EXPECT_EQ(std::memcmp(&sum_ref, &sum_simd, sizeof(double)), 0) << simd->name << " " << n;
    }
  }
}

struct RowCase {
  int32_t n_cells, n_q, dim;
};

// Probabilities as a long context gives them: mostly nonzero, scattered
// zeros, a run of zeros across every head (cells masked or underflowed),
// negative zeros (not skipped: the reference skips only +0 bits) and, for
// groups of 3+, one head that sees no cell at all.
std::vector<uint16_t> edge_probs(const std::vector<float>& scores, const RowCase& cs) {
  std::vector<uint16_t> probs(scores.size());
  attn_row_kernels_ref().to_f16_scaled(scores.data(), 1.0f / 64, probs.data(), static_cast<int32_t>(probs.size()));
  for (size_t i = 0; i < probs.size(); i += 29) probs[i] = 0;
  for (size_t i = 11; i < probs.size(); i += 37) probs[i] = 0x8000;
  for (int32_t g = 0; g < cs.n_q; ++g) {
    for (int32_t c = cs.n_cells / 3; c < cs.n_cells / 3 + 20 && c < cs.n_cells; ++c) {
      probs[static_cast<size_t>(g) * cs.n_cells + c] = 0;
    }
  }
  if (cs.n_q >= 3) std::fill(probs.begin() + cs.n_cells, probs.begin() + 2 * cs.n_cells, uint16_t{0});
  return probs;
}

// The SIMD score and value passes give the reference's bits over strided
// rows (KV heads interleaved) for every level.
TEST(OpsAttnRows, SimdScoresAndValuesMatchReferenceBitForBit) {
  const auto levels = simd_levels();
  if (levels.empty()) GTEST_SKIP() << "no SIMD level on this machine/build";
  const AttnRowKernels& ref = attn_row_kernels_ref();
  const RowCase cases[] = {{1, 1, 64},   {5, 2, 75},   {15, 1, 128},  {16, 2, 128}, {17, 3, 72},
                           {33, 4, 64},  {67, 3, 128}, {37, 2, 131},  {48, 5, 80},  {100, 8, 96},
                           {40, 2, 8},   {21, 1, 3},   {50, 4, 256},  {31, 6, 112}, {4096, 2, 128},
                           {1000, 4, 64},  // below: prefill tiles (n_q > 4: the f32-buffered tile kernels)
                           {16, 16, 128}, {45, 16, 128}, {13, 9, 75},   {70, 5, 80},  {33, 12, 64},
                           {34, 17, 256}, {29, 8, 264},  {18, 7, 8},    {300, 16, 72}};
  for (const AttnRowKernels* simd : levels) {
    for (const RowCase cs : cases) {
      const int32_t stride = 3 * cs.dim;  // this head is the middle of three
      std::vector<uint16_t> k, v;
      for (float f : random_vec(static_cast<size_t>(cs.n_cells) * stride, 11)) k.push_back(f32_to_f16(f));
      for (float f : random_vec(static_cast<size_t>(cs.n_cells) * stride, 12)) v.push_back(f32_to_f16(f));
      k[cs.dim] = 0x8000, v[cs.dim + 1] = 0;  // signed zeros in the rows
      // Inf and NaN in a V row whose probabilities are all zero (edge_probs):
      // skipped, not multiplied by zero.
      if (cs.n_cells >= 9 && cs.dim >= 3) {
        const size_t row = static_cast<size_t>(cs.n_cells / 3 + 1) * stride + cs.dim;
        v[row + 1] = 0x7c00, v[row + 2] = 0x7e00;
      }
      std::vector<float> q;
      for (float f : random_vec(static_cast<size_t>(cs.n_q) * cs.dim, 13, 2.0f)) q.push_back(f16_to_f32(f32_to_f16(f)));
      const size_t n_sc = static_cast<size_t>(cs.n_q) * cs.n_cells;
      std::vector<float> s_ref(n_sc), s_simd(n_sc, -7.0f);
      ScoreRange sr{.k = k.data() + cs.dim, .k_stride = stride, .n_cells = cs.n_cells, .q = q.data(),
                    .n_q = cs.n_q, .dim = cs.dim, .scale = 0.125f, .scores = s_ref.data()};
      ref.scores(sr);
      sr.scores = s_simd.data();
      simd->scores(sr);
      EXPECT_EQ(bits(s_ref), bits(s_simd)) << simd->name << " " << cs.n_cells << " " << cs.n_q << " " << cs.dim;
      std::fill(s_simd.begin(), s_simd.end(), -7.0f);
      simd->scores_tile(sr);
      EXPECT_EQ(bits(s_ref), bits(s_simd)) << simd->name << " tile " << cs.n_cells << " " << cs.n_q << " " << cs.dim;
      const std::vector<uint16_t> probs = edge_probs(s_ref, cs);
      std::vector<float> o_ref = random_vec(static_cast<size_t>(cs.n_q) * cs.dim, 14);
      o_ref[0] = -0.0f;                        // a -0 start that nonzero weights overwrite
      if (cs.n_q >= 3) o_ref[cs.dim] = -0.0f;  // head 1 sees no cell: must stay -0
      std::vector<float> o_simd = o_ref, o_tile = o_ref;
      ValueRange vr{.v = v.data() + cs.dim, .v_stride = stride, .n_cells = cs.n_cells, .probs = probs.data(),
                    .n_q = cs.n_q, .dim = cs.dim, .out = o_ref.data()};
      ref.values(vr);
      vr.out = o_simd.data();
      simd->values(vr);
      EXPECT_EQ(bits(o_ref), bits(o_simd)) << simd->name << " " << cs.n_cells << " " << cs.n_q << " " << cs.dim;
      vr.out = o_tile.data();
      simd->values_tile(vr);
      EXPECT_EQ(bits(o_ref), bits(o_tile)) << simd->name << " tile " << cs.n_cells << " " << cs.n_q << " " << cs.dim;
      if (cs.n_q >= 3) {
        EXPECT_TRUE(std::signbit(o_simd[cs.dim]) && o_simd[cs.dim] == 0.0f) << simd->name;
      }
    }
  }
}

}  // namespace
}  // namespace hako::ops
