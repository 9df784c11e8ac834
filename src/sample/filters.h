// The individual sampling steps of a chain, each a pure function over
// Candidates. Order and defaults follow common practice (llama.cpp's default
// chain): penalties -> top-k -> top-p -> min-p -> temperature -> draw.
#pragma once

#include <cstdint>
#include <span>

#include "sample/candidates.h"

namespace hako {

// Repetition penalty as in CTRL / llama.cpp: a logit of a token seen in
// `recent` is divided by `penalty` if positive, multiplied if negative.
// penalty == 1 is a no-op. `seen` is scratch of n_vocab bytes (zeroed on return).
void apply_repeat_penalty(Candidates& c, std::span<const int32_t> recent, float penalty,
                          std::span<uint8_t> seen);
// Keeps the k highest logits (k <= 0: no-op).
void apply_top_k(Candidates& c, int32_t k);
// Keeps the smallest prefix (by probability) whose mass reaches p (p >= 1: no-op).
void apply_top_p(Candidates& c, float p);
// Drops candidates whose probability is below p * max probability (p <= 0: no-op).
void apply_min_p(Candidates& c, float p);
// Divides logits by t (t > 0).
void apply_temperature(Candidates& c, float t);

}  // namespace hako
