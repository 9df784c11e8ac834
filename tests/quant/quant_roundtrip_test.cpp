// Round-trip and dot-product tests over the whole traits table: every format
// hako computes with is quantized from random and edge rows, dequantized and
// held to its stated error bound (quant_rows.h), and its reference dot with
// its activation format is checked against a float dot of the dequantized
// weights. A new format gets these tests by adding a traits entry and a
// bound. Not here: bit-compatibility with llama.cpp files (llama_compat_test).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "base/error.h"
#include "quant/blocks.h"
#include "quant/traits.h"
#include "quant_rows.h"

namespace hako {
namespace {

std::vector<GgmlType> supported_types() {
  std::vector<GgmlType> out;
  for (uint32_t id = 0; id < kGgmlTypeCount; ++id) {
    if (has_quant_traits(static_cast<GgmlType>(id))) out.push_back(static_cast<GgmlType>(id));
  }
  return out;
}

std::vector<uint8_t> quantize(GgmlType t, const std::vector<float>& x) {
  std::vector<uint8_t> q(row_bytes(t, x.size()));
  quant_traits(t).from_float_ref(x.data(), q.data(), static_cast<int64_t>(x.size()));
  return q;
}

std::vector<float> dequantize(GgmlType t, const std::vector<uint8_t>& q, size_t n) {
  std::vector<float> y(n);
  quant_traits(t).to_float(q.data(), y.data(), static_cast<int64_t>(n));
  return y;
}

// Per-element allowed round-trip error of type t on row x.
std::vector<double> allowed_error(GgmlType t, const std::vector<float>& x) {
  const test::ErrorBound b = test::error_bound(t);
  const size_t bs = type_info(t).block_size;
  std::vector<double> out(x.size());
  for (size_t i0 = 0; i0 < x.size(); i0 += bs) {
    double amax = 0;
    for (size_t i = i0; i < i0 + bs; ++i) amax = std::max(amax, std::fabs(static_cast<double>(x[i])));
    for (size_t i = i0; i < i0 + bs; ++i) out[i] = b.rel * amax + b.floor;
  }
  return out;
}

class QuantTraitsTest : public ::testing::TestWithParam<GgmlType> {};

TEST_P(QuantTraitsTest, TableEntryIsConsistent) {
  const GgmlType t = GetParam();
  const QuantTraits& q = quant_traits(t);
  EXPECT_EQ(q.type, t);
  ASSERT_NE(q.to_float, nullptr);
  ASSERT_NE(q.from_float_ref, nullptr);
  ASSERT_TRUE(has_quant_traits(q.vec_dot_type));
  EXPECT_EQ(type_info(q.vec_dot_type).block_size == 1, type_info(t).block_size == 1);
  if (q.vec_dot_ref != nullptr) {
    // Activation blocks must tile the weight blocks.
    EXPECT_EQ(type_info(t).block_size % type_info(q.vec_dot_type).block_size, 0u);
  }
}

// Quantize -> dequantize stays within the bound, on 1 block and on many.
TEST_P(QuantTraitsTest, RoundTripWithinBound) {
  const GgmlType t = GetParam();
  const bool print = std::getenv("HAKO_QUANT_PRINT_ERRORS") != nullptr;
  double worst_rel = 0;  // max over rows of (err - floor) / amax, for the bound table
  // One block, and many blocks.
  for (int64_t n : {static_cast<int64_t>(type_info(t).block_size), int64_t{4096}}) {
    for (const auto& row : test::make_test_rows(n, 1234u + static_cast<uint32_t>(n))) {
      const auto& x = row.values;
      const auto y = dequantize(t, quantize(t, x), x.size());
      const auto allowed = allowed_error(t, x);
      const test::ErrorBound b = test::error_bound(t);
      size_t n_bad = 0, first_bad = 0;
      for (size_t i = 0; i < x.size(); ++i) {
        ASSERT_TRUE(std::isfinite(y[i])) << row.name << " element " << i;
        const double err = std::fabs(static_cast<double>(x[i]) - y[i]);
        if (err > allowed[i] && n_bad++ == 0) first_bad = i;
        if (b.rel > 0 && allowed[i] > b.floor) worst_rel = std::max(worst_rel, (err - b.floor) / ((allowed[i] - b.floor) / b.rel));
      }
      EXPECT_EQ(n_bad, 0u) << to_string(t) << " row " << row.name << " n=" << n << ": first at " << first_bad
                           << " x=" << x[first_bad] << " y=" << y[first_bad];
      if (row.name == "all_zero") {
        for (float v : y) ASSERT_EQ(v, 0.0f) << to_string(t);
      }
    }
  }
  if (print) std::cout << "[bound] " << to_string(t) << " worst err/amax " << worst_rel << "\n";
}

// vec_dot_ref(w, quantize_vec_dot_type(x)) equals the float dot of the
// dequantized weights with x, up to the activation format's rounding.
TEST_P(QuantTraitsTest, VecDotMatchesFloatDot) {
  const GgmlType t = GetParam();
  const QuantTraits& q = quant_traits(t);
  if (q.vec_dot_ref == nullptr) GTEST_SKIP() << to_string(t) << " is an activation-only format";
  const GgmlType vt = q.vec_dot_type;
  // One weight block (a whole number of activation blocks), and many blocks.
  for (int64_t n : {static_cast<int64_t>(type_info(t).block_size), int64_t{4096}}) {
    const auto w_rows = test::make_test_rows(n, 77u);
    const auto x_rows = test::make_test_rows(n, 99u);
    for (size_t r = 0; r < w_rows.size(); ++r) {
      const auto wq = quantize(t, w_rows[r].values);
      const auto w = dequantize(t, wq, static_cast<size_t>(n));
      const auto& x = x_rows[(r + 3) % x_rows.size()].values;
      const auto xq = quantize(vt, x);
      const auto x_err = allowed_error(vt, x);
      double exact = 0, slack = 0, magnitude = 0;
      for (size_t i = 0; i < w.size(); ++i) {
        exact += static_cast<double>(w[i]) * x[i];
        slack += std::fabs(static_cast<double>(w[i])) * x_err[i];
        magnitude += std::fabs(static_cast<double>(w[i]) * x[i]);
      }
      // Float accumulation over n/32 block partial sums: ~n/32 roundings of
      // magnitude-sized partials; 1e-5 * magnitude covers n = 4096 with margin.
      const double tol = slack + 1e-5 * magnitude + 1e-30;
      const double got = q.vec_dot_ref(n, wq.data(), xq.data());
      EXPECT_NEAR(got, exact, tol) << to_string(t) << " x " << to_string(vt) << " w=" << w_rows[r].name
                                   << " x=" << x_rows[(r + 3) % x_rows.size()].name << " n=" << n;
    }
  }
}

std::string type_name(const ::testing::TestParamInfo<GgmlType>& info) {
  return std::string(to_string(info.param));
}

INSTANTIATE_TEST_SUITE_P(AllFormats, QuantTraitsTest, ::testing::ValuesIn(supported_types()), type_name);

TEST(QuantTraits, CoversTheFormatsHakoComputesWith) {
  for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1, GgmlType::Q5_0,
                     GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q8_1, GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K,
                     GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::Q8_K, GgmlType::IQ4_NL, GgmlType::IQ4_XS,
                     GgmlType::MXFP4}) {
    EXPECT_TRUE(has_quant_traits(t)) << to_string(t);
  }
  for (GgmlType t : {GgmlType::IQ2_XXS, GgmlType::IQ1_S, GgmlType::TQ1_0, GgmlType::NVFP4, GgmlType::I32}) {
    EXPECT_FALSE(has_quant_traits(t)) << to_string(t);
  }
  EXPECT_FALSE(has_quant_traits(static_cast<GgmlType>(4)));    // removed q4_2
  EXPECT_FALSE(has_quant_traits(static_cast<GgmlType>(999)));  // out of range
}

TEST(QuantTraits, VecDotPairingFollowsLlamaCpp) {
  // ggml-cpu.c type_traits_cpu at d32676d.
  EXPECT_EQ(quant_traits(GgmlType::Q4_0).vec_dot_type, GgmlType::Q8_0);
  EXPECT_EQ(quant_traits(GgmlType::Q4_1).vec_dot_type, GgmlType::Q8_1);
  EXPECT_EQ(quant_traits(GgmlType::Q5_0).vec_dot_type, GgmlType::Q8_0);
  EXPECT_EQ(quant_traits(GgmlType::Q5_1).vec_dot_type, GgmlType::Q8_1);
  EXPECT_EQ(quant_traits(GgmlType::Q8_0).vec_dot_type, GgmlType::Q8_0);
  EXPECT_EQ(quant_traits(GgmlType::IQ4_NL).vec_dot_type, GgmlType::Q8_0);
  EXPECT_EQ(quant_traits(GgmlType::MXFP4).vec_dot_type, GgmlType::Q8_0);
  for (GgmlType t : {GgmlType::Q2_K, GgmlType::Q3_K, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K, GgmlType::IQ4_XS}) {
    EXPECT_EQ(quant_traits(t).vec_dot_type, GgmlType::Q8_K) << to_string(t);
  }
  EXPECT_EQ(quant_traits(GgmlType::F16).vec_dot_type, GgmlType::F16);
  EXPECT_EQ(quant_traits(GgmlType::BF16).vec_dot_type, GgmlType::BF16);
  EXPECT_EQ(quant_traits(GgmlType::F32).vec_dot_type, GgmlType::F32);
}

TEST(QuantTraits, RequireSupportedNamesTensorTypeAndAlternatives) {
  EXPECT_NO_THROW(require_supported(GgmlType::Q4_K, "blk.0.ffn_down.weight"));
  try {
    require_supported(GgmlType::IQ2_XXS, "blk.3.attn_q.weight");
    FAIL() << "expected hako::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUnsupported);
    const std::string msg = e.what();
    EXPECT_NE(msg.find("tensor 'blk.3.attn_q.weight' has type iq2_xxs, which hako cannot compute with"),
              std::string::npos) << msg;
    EXPECT_NE(msg.find("(supported: f32, f16, q4_0,"), std::string::npos) << msg;
    EXPECT_NE(msg.find("mxfp4)"), std::string::npos) << msg;
  }
  EXPECT_THROW(require_supported(static_cast<GgmlType>(5), "t"), Error);
}

// Activation blocks carry derived fields the SIMD kernels rely on.
TEST(QuantActivationBlocks, DerivedSumsAreConsistent) {
  const auto rows = test::make_test_rows(512, 5u);
  for (const auto& row : rows) {
    std::vector<BlockQ8_K> k(2);
    quant_traits(GgmlType::Q8_K).from_float_ref(row.values.data(), k.data(), 512);
    for (const auto& b : k) {
      for (int j = 0; j < kQK / 16; ++j) {
        int s = 0;
        for (int l = 0; l < 16; ++l) s += b.qs[16 * j + l];
        EXPECT_EQ(b.bsums[j], s) << row.name;
      }
    }
    std::vector<BlockQ8_1> q(16);
    quant_traits(GgmlType::Q8_1).from_float_ref(row.values.data(), q.data(), 512);
    for (size_t ib = 0; ib < q.size(); ++ib) {
      // s = f16(d * sum(qs)) with the unrounded d = amax / 127.
      float amax = 0;
      for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(row.values[32 * ib + j]));
      int s = 0;
      for (int8_t v : q[ib].qs) s += v;
      EXPECT_EQ(q[ib].s, f32_to_f16(static_cast<float>(s) * (amax / 127))) << row.name << " block " << ib;
    }
  }
}

}  // namespace
}  // namespace hako
