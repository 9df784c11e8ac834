// Sampler chain: each filter on hand-made logits, greedy ties, determinism
// under a seed, and the draw's frequencies against the softmax.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "base/error.h"
#include "sample/filters.h"
#include "sample/sampler.h"

namespace hako {
namespace {

std::vector<int32_t> ids(const Candidates& c) {
  std::vector<int32_t> out;
  for (const Candidate& x : c.items) out.push_back(x.id);
  return out;
}

TEST(Filters, TopKKeepsHighest) {
  const float logits[] = {0.f, 3.f, 1.f, 2.f};
  Candidates c;
  c.reset(logits, 4);
  apply_top_k(c, 2);
  EXPECT_EQ(ids(c), (std::vector<int32_t>{1, 3}));
}

TEST(Filters, TopPKeepsSmallestPrefixReachingMass) {
  // probabilities 0.5, 0.25, 0.125, 0.125
  const float logits[] = {std::log(4.f), std::log(2.f), 0.f, 0.f};
  Candidates c;
  c.reset(logits, 4);
  apply_top_p(c, 0.7f);
  EXPECT_EQ(ids(c), (std::vector<int32_t>{0, 1}));
  c.reset(logits, 4);
  apply_top_p(c, 0.5f);
  EXPECT_EQ(ids(c), (std::vector<int32_t>{0}));
}

TEST(Filters, MinPDropsRelativeToMax) {
  const float logits[] = {std::log(4.f), std::log(2.f), std::log(1.f), std::log(0.5f)};
  Candidates c;
  c.reset(logits, 4);
  apply_min_p(c, 0.25f);  // keeps p >= 0.25 * p_max: 4, 2, 1
  EXPECT_EQ(ids(c), (std::vector<int32_t>{0, 1, 2}));
}

TEST(Filters, RepeatPenaltyDividesPositiveMultipliesNegative) {
  const float logits[] = {2.f, -2.f, 2.f};
  Candidates c;
  c.reset(logits, 3);
  std::vector<uint8_t> seen(3, 0);
  const int32_t recent[] = {0, 1};
  apply_repeat_penalty(c, recent, 2.0f, seen);
  EXPECT_FLOAT_EQ(c.items[0].logit, 1.f);
  EXPECT_FLOAT_EQ(c.items[1].logit, -4.f);
  EXPECT_FLOAT_EQ(c.items[2].logit, 2.f);
  EXPECT_EQ(seen, (std::vector<uint8_t>{0, 0, 0}));
}

TEST(Sampler, GreedyTieGoesToLowestId) {
  Sampler s({.temperature = 0.0f}, 4);
  const float logits[] = {1.f, 5.f, 5.f, 0.f};
  EXPECT_EQ(s.sample(logits), 1);
}

TEST(Sampler, GreedyWithPenaltyAvoidsRepeats) {
  Sampler s({.temperature = 0.0f, .repeat_penalty = 10.0f}, 3);
  const float logits[] = {1.f, 3.f, 2.f};
  s.accept(1);
  EXPECT_EQ(s.sample(logits), 2);
}

TEST(Sampler, SameSeedSameTokens) {
  std::vector<float> logits(50);
  for (int i = 0; i < 50; ++i) logits[i] = std::sin(i * 1.3f);
  Sampler a({.temperature = 1.0f, .top_k = 0, .top_p = 1.0f, .min_p = 0.0f, .seed = 7}, 50);
  Sampler b({.temperature = 1.0f, .top_k = 0, .top_p = 1.0f, .min_p = 0.0f, .seed = 7}, 50);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.sample(logits.data()), b.sample(logits.data()));
}

TEST(Sampler, DrawFollowsSoftmax) {
  const float logits[] = {0.f, std::log(3.f)};  // p = 0.25, 0.75
  Sampler s({.temperature = 1.0f, .top_k = 0, .top_p = 1.0f, .min_p = 0.0f, .seed = 1}, 2);
  int ones = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) ones += s.sample(logits);
  EXPECT_NEAR(static_cast<double>(ones) / n, 0.75, 0.02);  // ~7 sigma at n = 20000
}

TEST(Sampler, RejectsBadOptions) {
  EXPECT_THROW(Sampler({.top_p = 0.0f}, 10), Error);
  EXPECT_THROW(Sampler({.min_p = 2.0f}, 10), Error);
  EXPECT_THROW(Sampler({.repeat_penalty = 0.0f}, 10), Error);
}

}  // namespace
}  // namespace hako
