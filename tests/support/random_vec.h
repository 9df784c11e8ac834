// Random test vectors: n floats drawn from N(0, scale^2) by a seeded
// mt19937, so a failing case reproduces. Header-only; not for benchmarks.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace hako::test {

inline std::vector<float> random_vec(size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

}  // namespace hako::test
