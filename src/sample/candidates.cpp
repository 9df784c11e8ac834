// Candidates: refill, sort, softmax.
#include "sample/candidates.h"

#include <algorithm>
#include <cmath>

namespace hako {

void Candidates::reset(const float* logits, int32_t n_vocab) {
  items.resize(static_cast<size_t>(n_vocab));
  for (int32_t i = 0; i < n_vocab; ++i) items[i] = Candidate{i, logits[i], 0.0f};
  sorted = false;
  normalized = false;
}

void Candidates::sort_desc(int32_t k) {
  auto by_logit = [](const Candidate& a, const Candidate& b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
  };
  if (sorted) return;
  if (k > 0 && static_cast<size_t>(k) < items.size()) {
    std::partial_sort(items.begin(), items.begin() + k, items.end(), by_logit);
    items.resize(static_cast<size_t>(k));
  } else {
    std::sort(items.begin(), items.end(), by_logit);
  }
  sorted = true;
}

void Candidates::softmax() {
  if (items.empty()) return;
  float max_logit = items[0].logit;
  for (const Candidate& c : items) max_logit = std::max(max_logit, c.logit);
  double sum = 0.0;
  for (Candidate& c : items) {
    c.p = std::exp(c.logit - max_logit);
    sum += c.p;
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (Candidate& c : items) c.p *= inv;
  normalized = true;
}

}  // namespace hako
