// RoPE (see rope.h). The float expressions mirror ggml-cpu's rope_yarn and
// ggml_rope_yarn_corr_dims term by term so the angles round identically.
#include "kernels/ops/rope.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace hako::ops {
namespace {

float yarn_corr_dim(int32_t n_dims, int32_t n_ctx_orig, float n_rot, float base) {
  return static_cast<float>(n_dims) *
         std::log(static_cast<float>(n_ctx_orig) / (n_rot * 2 * std::numbers::pi_v<float>)) /
         (2 * std::log(base));
}

float yarn_ramp(float low, float high, int64_t i0) {
  const float y = static_cast<float>(i0 / 2 - low) / std::max(0.001f, high - low);
  return 1 - std::min(1.0f, std::max(0.0f, y));
}

}  // namespace

RopeTables make_rope_tables(const RopeConfig& cfg) noexcept {
  RopeTables t;
  t.cfg = cfg;
  t.theta_scale = std::pow(cfg.freq_base, -2.0f / static_cast<float>(cfg.n_dims));
  const float start =
      std::floor(yarn_corr_dim(cfg.n_dims, cfg.n_ctx_orig, cfg.beta_fast, cfg.freq_base));
  const float end =
      std::ceil(yarn_corr_dim(cfg.n_dims, cfg.n_ctx_orig, cfg.beta_slow, cfg.freq_base));
  t.corr_dims[0] = std::max(0.0f, start);
  t.corr_dims[1] = std::min(static_cast<float>(cfg.n_dims - 1), end);
  return t;
}

void rope_cache(const RopeTables& rope, int32_t pos, float* cache) noexcept {
  const RopeConfig& c = rope.cfg;
  float theta = static_cast<float>(pos);
  for (int64_t i0 = 0; i0 < c.n_dims; i0 += 2) {
    const float ff = c.freq_factors != nullptr ? c.freq_factors[i0 / 2] : 1.0f;
    const float theta_extrap = theta / ff;
    const float theta_interp = c.freq_scale * theta_extrap;
    float angle = theta_interp;
    float mscale = c.attn_factor;
    if (c.ext_factor != 0.0f) {
      const float ramp_mix = yarn_ramp(rope.corr_dims[0], rope.corr_dims[1], i0) * c.ext_factor;
      angle = theta_interp * (1 - ramp_mix) + theta_extrap * ramp_mix;
      mscale *= 1.0f + 0.1f * std::log(1.0f / c.freq_scale);
    }
    cache[i0 + 0] = std::cos(angle) * mscale;
    cache[i0 + 1] = std::sin(angle) * mscale;
    theta *= rope.theta_scale;
  }
}

void rope_apply(const RopeTables& rope, const float* cache, RopeHeads heads) noexcept {
  const int32_t n_dims = rope.cfg.n_dims;
  // Normal: pair i0 rotates (x[i0], x[i0+1]); NeoX: (x[i0/2], x[i0/2 + n_dims/2]).
  const bool neox = rope.cfg.mode == RopeMode::kNeox;
  const int32_t offset = neox ? n_dims / 2 : 1;
  for (int32_t h = 0; h < heads.n_heads; ++h) {
    float* x = heads.x + static_cast<int64_t>(h) * heads.head_dim;
    for (int32_t i0 = 0; i0 < n_dims; i0 += 2) {
      const int32_t ic = neox ? i0 / 2 : i0;
      const float c = cache[i0 + 0];
      const float s = cache[i0 + 1];
      const float x0 = x[ic];
      const float x1 = x[ic + offset];
      x[ic] = x0 * c - x1 * s;
      x[ic + offset] = x0 * s + x1 * c;
    }
  }
}

}  // namespace hako::ops
