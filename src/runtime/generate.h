// The generation loop shared by `hako run`, `hako chat` and the server:
// evaluate a prompt (reusing the part of it the session already holds),
// then sample tokens one at a time until a stop condition. Timing of the
// prompt and generation phases is measured here, once, for every caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "hako/context.h"
#include "sample/sampler.h"

namespace hako {

enum class TokenVerdict : uint8_t { kContinue, kStop };

struct GenerateOptions {
  int32_t n_predict = 128;             // most tokens to generate; < 0: until the context is full
  std::span<const int32_t> stop_ids;   // generation ends after sampling one of these (e.g. EOG)
};

struct GenerateStats {
  int32_t n_prompt_reused = 0;   // prompt tokens already in the session (not re-evaluated)
  int32_t n_prompt_eval = 0;     // prompt tokens evaluated now
  double prompt_seconds = 0;
  int32_t n_gen = 0;             // tokens sampled (including a final stop token)
  double gen_seconds = 0;
  bool hit_stop = false;         // ended on a stop id or the callback's kStop
  bool context_full = false;     // ended because the context had no room left
};

// A Context together with the token ids it holds, so a new prompt that
// shares a prefix with the session re-evaluates only the rest.
class Session {
 public:
  explicit Session(Context& ctx) : ctx_(&ctx) {}
  Context& context() { return *ctx_; }
  const std::vector<int32_t>& tokens() const { return tokens_; }
  void clear();

  // Makes the session hold exactly `prompt` and returns the logits of its
  // last token; evaluates only what differs from what is held. At least the
  // last token is always evaluated (its logits are needed).
  std::span<const float> feed_prompt(std::span<const int32_t> prompt, GenerateStats& stats);
  // Appends one token and returns its logits.
  std::span<const float> feed_token(int32_t id);

 private:
  Context* ctx_;
  std::vector<int32_t> tokens_;
};

// Runs prompt + sampling. on_token(id) is called for every sampled token
// (including the stop token); returning kStop ends generation.
GenerateStats generate(Session& session, std::span<const int32_t> prompt, Sampler& sampler,
                       const GenerateOptions& options,
                       const std::function<TokenVerdict(int32_t)>& on_token);

}  // namespace hako
