// Sampling filters over Candidates (see filters.h for each step's contract).
#include "sample/filters.h"

#include <algorithm>
#include <cmath>

namespace hako {

void apply_repeat_penalty(Candidates& c, std::span<const int32_t> recent, float penalty,
                          std::span<uint8_t> seen) {
  if (penalty == 1.0f || recent.empty()) return;
  for (int32_t id : recent)
    if (id >= 0 && static_cast<size_t>(id) < seen.size()) seen[id] = 1;
  for (Candidate& cand : c.items) {
    if (static_cast<size_t>(cand.id) >= seen.size() || !seen[cand.id]) continue;
    cand.logit = cand.logit > 0 ? cand.logit / penalty : cand.logit * penalty;
  }
  for (int32_t id : recent)
    if (id >= 0 && static_cast<size_t>(id) < seen.size()) seen[id] = 0;
  c.sorted = false;
  c.normalized = false;
}

void apply_top_k(Candidates& c, int32_t k) {
  if (k <= 0 || static_cast<size_t>(k) >= c.items.size()) return;
  c.sort_desc(k);
  c.normalized = false;
}

void apply_top_p(Candidates& c, float p) {
  if (p >= 1.0f || c.items.empty()) return;
  c.sort_desc();
  c.softmax();
  double cum = 0.0;
  size_t keep = c.items.size();
  for (size_t i = 0; i < c.items.size(); ++i) {
    cum += c.items[i].p;
    if (cum >= p) {
      keep = i + 1;
      break;
    }
  }
  c.items.resize(keep);
  c.normalized = false;
}

void apply_min_p(Candidates& c, float p) {
  if (p <= 0.0f || c.items.empty()) return;
  c.sort_desc();
  // p_i >= p * p_max  <=>  logit_i >= logit_max + log(p)
  const float threshold = c.items[0].logit + std::log(p);
  size_t keep = 1;
  while (keep < c.items.size() && c.items[keep].logit >= threshold) ++keep;
  c.items.resize(keep);
  c.normalized = false;
}

void apply_temperature(Candidates& c, float t) {
  const float inv = 1.0f / t;
  for (Candidate& cand : c.items) cand.logit *= inv;
  c.normalized = false;
}

}  // namespace hako
