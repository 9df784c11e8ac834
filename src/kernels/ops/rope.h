// Rotary position embedding (RoPE), normal (adjacent pairs, llama) and NeoX
// (halves, qwen/phi) layouts, with linear and YaRN frequency scaling and
// optional per-dimension frequency factors (llama3 rope_freqs, phi3
// long/short factors). The angles are computed exactly as ggml's CPU rope:
// theta starts at the position and is multiplied by
// theta_scale = powf(freq_base, -2/n_dims) once per pair, in float, then
// corrected by ggml's rope_yarn(). Knows nothing about models; no allocation.
#pragma once

#include <cstdint>

namespace hako::ops {

enum class RopeMode : uint8_t {
  kNormal,  // rotate (x[2i], x[2i+1])
  kNeox,    // rotate (x[i], x[i + n_dims/2])
};

struct RopeConfig {
  RopeMode mode = RopeMode::kNormal;
  int32_t n_dims = 0;          // rotated dimensions per head (even, <= head_dim)
  float freq_base = 10000.0f;
  float freq_scale = 1.0f;     // 1/scaling factor (linear and YaRN)
  float ext_factor = 0.0f;     // YaRN extrapolation mix; 0 disables YaRN
  float attn_factor = 1.0f;    // magnitude scale applied to cos and sin
  float beta_fast = 32.0f;     // YaRN correction range
  float beta_slow = 1.0f;
  int32_t n_ctx_orig = 0;      // YaRN original training context
  const float* freq_factors = nullptr;  // [n_dims/2] divisors of theta, or nullptr
};

// Values derived once from a RopeConfig.
struct RopeTables {
  RopeConfig cfg;
  float theta_scale = 1.0f;
  float corr_dims[2] = {0.0f, 0.0f};
};

RopeTables make_rope_tables(const RopeConfig& cfg) noexcept;

// Fills cache[0..n_dims) with (cos, sin) pairs for position `pos`.
void rope_cache(const RopeTables& rope, int32_t pos, float* cache) noexcept;

// Rotates the first n_dims elements of each of `n_heads` vectors of
// `head_dim` floats starting at x (contiguous), in place, with a cache from
// rope_cache().
struct RopeHeads {
  float* x = nullptr;
  int32_t n_heads = 0;
  int32_t head_dim = 0;
};
void rope_apply(const RopeTables& rope, const float* cache, RopeHeads heads) noexcept;

}  // namespace hako::ops
