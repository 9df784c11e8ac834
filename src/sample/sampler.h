// Sampler: the chain that turns one row of logits into the next token.
// Greedy when temperature <= 0 (ties go to the lowest id). Owns its RNG and
// the history used by the repetition penalty; reserves everything at
// construction so sample() never allocates. Not thread-safe (one per sequence).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "sample/candidates.h"

namespace hako {

struct SamplerOptions {
  float temperature = 0.8f;
  int32_t top_k = 40;
  float top_p = 0.95f;
  float min_p = 0.05f;
  float repeat_penalty = 1.0f;  // 1 = off
  int32_t repeat_last_n = 64;   // history window for the penalty
  uint64_t seed = 0;            // same seed + same logits => same tokens
};

class Sampler {
 public:
  Sampler(const SamplerOptions& opts, int32_t n_vocab);

  // Picks a token from logits[n_vocab]. Does not record it: call accept().
  int32_t sample(const float* logits);
  // Records a token (prompt or generated) in the penalty history.
  void accept(int32_t token);
  void reset();

 private:
  SamplerOptions opts_;
  int32_t n_vocab_;
  Candidates cand_;
  std::vector<int32_t> history_;  // ring of the last repeat_last_n tokens
  size_t history_pos_ = 0;
  size_t history_len_ = 0;
  std::vector<int32_t> recent_;   // history_ in order, for the penalty
  std::vector<uint8_t> seen_;
  std::mt19937_64 rng_;
};

}  // namespace hako
