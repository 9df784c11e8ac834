// Prompt evaluation with prefix reuse, and the sample-feed loop.
#include "runtime/generate.h"

#include <algorithm>

namespace hako {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void Session::clear() {
  ctx_->clear();
  tokens_.clear();
}

std::span<const float> Session::feed_prompt(std::span<const int32_t> prompt, GenerateStats& stats) {
  size_t common = 0;
  while (common < tokens_.size() && common < prompt.size() && tokens_[common] == prompt[common])
    ++common;
  if (common == prompt.size() && common > 0) --common;  // re-evaluate the last token for its logits
  ctx_->truncate(static_cast<int32_t>(common));
  tokens_.resize(common);
  const auto rest = prompt.subspan(common);
  const auto t0 = std::chrono::steady_clock::now();
  std::span<const float> logits = ctx_->eval(rest, Logits::kLast);
  stats.prompt_seconds += seconds_since(t0);
  stats.n_prompt_reused = static_cast<int32_t>(common);
  stats.n_prompt_eval = static_cast<int32_t>(rest.size());
  tokens_.insert(tokens_.end(), rest.begin(), rest.end());
  return logits;
}

std::span<const float> Session::feed_token(int32_t id) {
  std::span<const float> logits = ctx_->eval(std::span<const int32_t>(&id, 1), Logits::kLast);
  tokens_.push_back(id);
  return logits;
}

GenerateStats generate(Session& session, std::span<const int32_t> prompt, Sampler& sampler,
                       const GenerateOptions& options,
                       const std::function<TokenVerdict(int32_t)>& on_token) {
  GenerateStats stats;
  std::span<const float> logits = session.feed_prompt(prompt, stats);
  for (int32_t id : prompt) sampler.accept(id);
  const auto t0 = std::chrono::steady_clock::now();
  Context& ctx = session.context();
  while (options.n_predict < 0 || stats.n_gen < options.n_predict) {
    const int32_t id = sampler.sample(logits.data());
    sampler.accept(id);
    ++stats.n_gen;
    const bool is_stop =
        std::find(options.stop_ids.begin(), options.stop_ids.end(), id) != options.stop_ids.end();
    if (on_token(id) == TokenVerdict::kStop || is_stop) {
      stats.hit_stop = true;
      break;
    }
    if (options.n_predict >= 0 && stats.n_gen >= options.n_predict) break;
    if (ctx.n_past() >= ctx.n_ctx()) {
      stats.context_full = true;
      break;
    }
    logits = session.feed_token(id);
  }
  stats.gen_seconds = seconds_since(t0);
  return stats;
}

}  // namespace hako
