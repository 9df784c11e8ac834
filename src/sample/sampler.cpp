// The sampler chain: penalties -> top-k -> top-p -> min-p -> temperature -> draw.
#include "sample/sampler.h"

#include <algorithm>

#include "base/error.h"
#include "sample/filters.h"

namespace hako {

Sampler::Sampler(const SamplerOptions& opts, int32_t n_vocab)
    : opts_(opts), n_vocab_(n_vocab), rng_(opts.seed) {
  if (n_vocab <= 0) throw Error(ErrorKind::kInvalidArgument, "sampler: n_vocab must be > 0");
  if (opts.top_p <= 0.0f || opts.top_p > 1.0f)
    throw Error(ErrorKind::kInvalidArgument, "top-p must be in (0, 1], got " + std::to_string(opts.top_p));
  if (opts.min_p < 0.0f || opts.min_p > 1.0f)
    throw Error(ErrorKind::kInvalidArgument, "min-p must be in [0, 1], got " + std::to_string(opts.min_p));
  if (opts.repeat_penalty <= 0.0f)
    throw Error(ErrorKind::kInvalidArgument,
                "repeat-penalty must be > 0, got " + std::to_string(opts.repeat_penalty));
  if (opts.repeat_last_n < 0)
    throw Error(ErrorKind::kInvalidArgument, "repeat-last-n must be >= 0");
  cand_.items.reserve(static_cast<size_t>(n_vocab));
  history_.assign(static_cast<size_t>(opts.repeat_last_n), 0);
  recent_.reserve(static_cast<size_t>(opts.repeat_last_n));
  seen_.assign(static_cast<size_t>(n_vocab), 0);
}

void Sampler::accept(int32_t token) {
  if (history_.empty()) return;
  history_[history_pos_] = token;
  history_pos_ = (history_pos_ + 1) % history_.size();
  history_len_ = std::min(history_len_ + 1, history_.size());
}

void Sampler::reset() {
  history_pos_ = 0;
  history_len_ = 0;
  rng_.seed(opts_.seed);
}

int32_t Sampler::sample(const float* logits) {
  if (opts_.temperature <= 0.0f && opts_.repeat_penalty == 1.0f) {
    int32_t best = 0;
    for (int32_t i = 1; i < n_vocab_; ++i)
      if (logits[i] > logits[best]) best = i;
    return best;
  }
  cand_.reset(logits, n_vocab_);
  recent_.clear();
  for (size_t i = 0; i < history_len_; ++i)
    recent_.push_back(history_[(history_pos_ + history_.size() - history_len_ + i) % history_.size()]);
  apply_repeat_penalty(cand_, recent_, opts_.repeat_penalty, seen_);
  if (opts_.temperature <= 0.0f) {
    cand_.sort_desc(1);
    return cand_.items[0].id;
  }
  apply_top_k(cand_, opts_.top_k);
  apply_top_p(cand_, opts_.top_p);
  apply_min_p(cand_, opts_.min_p);
  apply_temperature(cand_, opts_.temperature);
  cand_.softmax();
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  double r = uni(rng_), cum = 0.0;
  for (const Candidate& c : cand_.items) {
    cum += c.p;
    if (r < cum) return c.id;
  }
  return cand_.items.back().id;
}

}  // namespace hako
