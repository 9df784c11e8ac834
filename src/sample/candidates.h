// Candidates: the working set a sampler chain narrows down — token ids with
// their logits and (once computed) probabilities. Capacity is reserved once
// per sampler (n_vocab), so sampling a token never allocates.
#pragma once

#include <cstdint>
#include <vector>

namespace hako {

struct Candidate {
  int32_t id;
  float logit;
  float p;  // probability; valid after softmax()
};

struct Candidates {
  std::vector<Candidate> items;  // the live candidates, items.size() shrinks as filters cut
  bool sorted = false;           // items are in descending logit order
  bool normalized = false;       // p holds softmax(logit) over the live items

  // Refills from a logits row of n_vocab floats (keeps capacity).
  void reset(const float* logits, int32_t n_vocab);
  // Sorts descending by logit (partial sort of the first k when k > 0).
  void sort_desc(int32_t k = 0);
  // Fills p with softmax over the live items (numerically stable).
  void softmax();
};

}  // namespace hako
