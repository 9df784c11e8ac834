// ops::swiglu against the double-precision formula: a dense sweep of gate
// values (relative error bound) and the edges of its vectorized exp (huge,
// infinite and NaN gates, the ends of the normal exponent range).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/ops/activations.h"

namespace hako::ops {
namespace {

double silu_ref(double g) { return g / (1.0 + std::exp(-g)); }

std::vector<float> run_swiglu(const std::vector<float>& g) {
  const std::vector<float> u(g.size(), 1.0f);
  std::vector<float> y(g.size());
  const auto n = static_cast<int64_t>(g.size());
  swiglu(ConstRowsF32(g.data(), 1, n, n), ConstRowsF32(u.data(), 1, n, n), dense_rows(y.data(), 1, n));
  return y;
}

TEST(Swiglu, SweepWithinFourUlps) {
  std::vector<float> g;
  for (float x = -120.0f; x < 120.0f; x += 0.00731f) g.push_back(x);
  const std::vector<float> y = run_swiglu(g);
  for (size_t i = 0; i < g.size(); ++i) {
    const double ref = silu_ref(g[i]);
    // exp within ~1.2 ulp, then 1 + e, the division and the product round:
    // measured max 3.7e-7 relative; 4 float ulps (4.8e-7) bound it. Below
    // gate -88.7, e^-gate overflows float and any float formula gives -0
    // for |silu| < 1e-36: that much absolute slack.
    const double tol = 4.8e-7 * std::fabs(ref) + 1e-36;
    ASSERT_NEAR(y[i], ref, tol) << "gate " << g[i];
  }
}

TEST(Swiglu, EdgeValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> g = {1e30f, -1e30f, 3e6f, -3e6f, 88.5f, -87.5f, 100.0f, -100.0f, 0.0f, -0.0f};
  const std::vector<float> y = run_swiglu(g);
  for (size_t i = 0; i < g.size(); ++i) {
    const double ref = silu_ref(g[i]);
    EXPECT_NEAR(y[i], ref, 4.8e-7 * std::fabs(ref) + 1e-36) << "gate " << g[i];
  }
  EXPECT_EQ(run_swiglu({inf})[0], inf);
  EXPECT_TRUE(std::isnan(run_swiglu({std::nanf("")})[0]));
  EXPECT_TRUE(std::isnan(run_swiglu({-inf})[0]));  // -inf / (1 + inf), as the formula
}

}  // namespace
}  // namespace hako::ops
