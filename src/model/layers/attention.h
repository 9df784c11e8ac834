// Self-attention block of a transformer layer: Q/K/V projections (bound from
// split or fused tensors, with optional biases), optional per-head RMS norms
// of Q and K (qwen3), RoPE, an optional Q scale (phi3), storing K and V in
// the f16 cache, attention over the cache and the output projection.
// Reads ws.xn, writes ws.proj. Sliding windows, sinks, MLA and gated
// outputs will arrive as fields of AttnOptions and AttnWeights.
#pragma once

#include <cstdint>

#include "kernels/ops/attention.h"
#include "model/hparams.h"
#include "model/layers/forward_args.h"
#include "model/layers/linear.h"
#include "model/layers/norm.h"
#include "model/weight_binder.h"

namespace hako::model::layers {

struct AttnWeights {
  Linear wq;  // {n_embd, n_head * head_dim_k}
  Linear wk;  // {n_embd, n_head_kv * head_dim_k}
  Linear wv;  // {n_embd, n_head_kv * head_dim_v}
  Linear wo;  // {n_head * head_dim_v, n_embd}
};

struct AttnOptions {
  ops::AttnShape shape;          // heads, head widths and the K.Q scale
  const Norm* q_norm = nullptr;  // per-head RMS norm of Q before RoPE, or none
  const Norm* k_norm = nullptr;  // per-head RMS norm of K before RoPE, or none
  float q_scale = 1.0f;          // multiplies Q after RoPE
  float norm_eps = 0.0f;         // eps of q_norm / k_norm
};

// The attention shape of a standard transformer: heads from hp, and the
// K.Q scale hp.f_attention_scale or 1/sqrt(head_dim_k).
ops::AttnShape attn_shape(const HParams& hp);

// Binds layer il's attention: the fused "attn_qkv" tensor (as three row
// views) if present, else attn_q/k/v; optional biases; attn_output.
AttnWeights bind_attention(WeightBinder& b, const HParams& hp, int32_t il);

// One attention block for layer il over the batch: ws.xn -> ws.proj.
void self_attention(const ForwardArgs& fa, int32_t il, const AttnWeights& w,
                    const AttnOptions& opt) noexcept;

// Fills ws.rope_cache with each batch token's (cos, sin) pairs; call once
// per forward pass before the first self_attention.
void prepare_rope(const ForwardArgs& fa) noexcept;

}  // namespace hako::model::layers
