// Test rows for the quant tests: random rows of several distributions and the
// edge rows every format must survive (all zeros, one huge value, tiny and
// denormal-ish values, negative-only, exact ties), plus the per-format error
// bound that the quantize -> dequantize round trip must meet. Test-only.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tensor/ggml_type.h"

namespace hako::test {

struct TestRow {
  std::string name;
  std::vector<float> values;
};

// Rows of n elements (any n >= 1), deterministic for a given seed.
inline std::vector<TestRow> make_test_rows(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::uniform_real_distribution<float> uniform(-1.f, 1.f);
  auto fill = [&](const std::string& name, auto gen) {
    TestRow r{name, std::vector<float>(static_cast<size_t>(n))};
    for (int64_t i = 0; i < n; ++i) r.values[static_cast<size_t>(i)] = gen(i);
    return r;
  };
  std::vector<TestRow> rows;
  rows.push_back(fill("normal", [&](int64_t) { return normal(rng); }));
  rows.push_back(fill("weights_0.02", [&](int64_t) { return 0.02f * normal(rng); }));
  rows.push_back(fill("uniform", [&](int64_t) { return uniform(rng); }));
  rows.push_back(fill("outliers", [&](int64_t i) { return normal(rng) * (i % 37 == 0 ? 20.f : 1.f); }));
  rows.push_back(fill("all_zero", [&](int64_t) { return 0.f; }));
  rows.push_back(fill("one_huge", [&](int64_t i) { return i == 5 ? 1000.f : normal(rng); }));
  rows.push_back(fill("tiny_1e-4", [&](int64_t) { return 1e-4f * normal(rng); }));
  rows.push_back(fill("denormal_ish", [&](int64_t) { return 1e-39f * uniform(rng); }));
  rows.push_back(fill("negative_only", [&](int64_t) { return -std::fabs(normal(rng)) - 0.1f; }));
  rows.push_back(fill("positive_only", [&](int64_t) { return std::fabs(normal(rng)) + 0.5f; }));
  rows.push_back(fill("ties", [&](int64_t) { return std::round(uniform(rng) * 8.f) / 4.f; }));
  rows.push_back(fill("zero_blocks", [&](int64_t i) { return (i / 32) % 3 == 0 ? 0.f : normal(rng); }));
  rows.push_back(fill("constant", [&](int64_t) { return 0.75f; }));
  return rows;
}

// Round-trip bound: |x - dequant(quant(x))| <= rel * amax + floor, where amax
// is the largest magnitude in x's block (the element itself for f32/f16/bf16)
// and floor covers f16 scales that underflow into subnormals (f16 subnormal
// half-ulp 2^-25 times the largest code * sub-scale a format multiplies it
// by). `rel` is the measured worst case over make_test_rows (rounded up
// ~20%); the measured value is in the comment. Theoretical halves of a step
// are noted where the search can exceed them.
struct ErrorBound {
  double rel;
  double floor;
};

inline ErrorBound error_bound(GgmlType t) {
  constexpr double kSub = 1.0 / (1 << 25);  // half of the f16 subnormal spacing
  switch (t) {
    case GgmlType::F32: return {0.0, 0.0};
    case GgmlType::F16: return {1.0 / 2048, kSub};  // RNE, 2^-11 relative; measured 0.000486
    case GgmlType::BF16: return {1.0 / 256, 1e-38};  // RNE, 2^-8 relative; measured 0.00389
    // Measured worst err/amax over make_test_rows in the comment; the bound
    // adds ~15%. Where the format fixes it, the exact step is named.
    case GgmlType::Q4_0: return {0.13, 8 * kSub};       // 0.125: -max -> code 16 clamps to 15 (one step 1/8)
    case GgmlType::Q4_1: return {0.075, 17 * kSub};     // 0.0669: half step of range/15 <= amax/15
    case GgmlType::Q5_0: return {0.066, 16 * kSub};     // 0.0625: -max clamps at 31 (one step 1/16)
    case GgmlType::Q5_1: return {0.037, 33 * kSub};     // 0.0328: half step of range/31
    case GgmlType::Q8_0: return {0.0046, 127 * kSub};   // 0.00426: 1/254 + f16(d) rounding 2^-11
    case GgmlType::Q8_1: return {0.0046, 127 * kSub};   // 0.00426: same codes as q8_0
    case GgmlType::Q2_K: return {0.40, 60 * kSub};      // 0.337
    case GgmlType::Q3_K: return {0.30, 128 * kSub};     // 0.256
    case GgmlType::Q4_K: return {0.16, 1008 * kSub};    // 0.135
    case GgmlType::Q5_K: return {0.075, 2016 * kSub};   // 0.0631
    case GgmlType::Q6_K: return {0.019, 4096 * kSub};   // 0.0161
    // q8_K: float d; -127/max overflows to inf for max < 127/FLT_MAX and the
    // block then reads back as 0 (as in ggml), hence the floor.
    case GgmlType::Q8_K: return {0.0045, 4e-37};        // 0.00394: 1/254
    case GgmlType::IQ4_NL: return {0.145, 127 * kSub};  // 0.123
    case GgmlType::IQ4_XS: return {0.145, 4064 * kSub}; // 0.122
    // mxfp4: scale exponents stop at 2^-128 (amax < 2^-125 reads back as 0).
    case GgmlType::MXFP4: return {0.29, 1e-37};         // 0.250
    default: return {1.0, 0.0};
  }
}

}  // namespace hako::test
