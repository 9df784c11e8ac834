// ArchModel planning helpers (see arch_model.h).
#include "model/arch_model.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "gguf/gguf_file.h"
#include "model/layers/attention.h"
#include "model/layers/linear.h"

namespace hako::model {

uint64_t ArchModel::matrix_bytes() const {
  uint64_t n = 0;
  for (const TensorView& w : matrices_) n += w.n_bytes();
  return n;
}

state::KvCacheOptions ArchModel::kv_options(const ContextShape& shape) const {
  return {.n_layer = static_cast<int32_t>(hp_.n_layer),
          .n_cells = shape.n_ctx,
          .n_embd_k = hp_.n_embd_k_gqa(),
          .n_embd_v = hp_.n_embd_v_gqa()};
}

std::unique_ptr<layers::Workspace> ArchModel::make_workspace(const ContextShape& shape) const {
  size_t act_bytes = 0;
  for (const TensorView& w : matrices_) {
    act_bytes = std::max(act_bytes, layers::linear_input_bytes(w, shape.n_ubatch));
  }
  const layers::WorkspaceDims dims{.n_embd = hp_.n_embd,
                                   .n_q = hp_.n_embd_q(),
                                   .n_k = hp_.n_embd_k_gqa(),
                                   .n_v = hp_.n_embd_v_gqa(),
                                   .n_attn_out = hp_.n_embd_attn_out(),
                                   .n_ff = hp_.n_ff,
                                   .n_rot = static_cast<int32_t>(hp_.n_rot),
                                   .attn = layers::attn_shape(hp_)};
  const layers::WorkspaceShape ws_shape{.n_ubatch = shape.n_ubatch,
                                        .n_ctx = shape.n_ctx,
                                        .n_threads = shape.n_threads,
                                        .act_bytes = act_bytes};
  return std::make_unique<layers::Workspace>(dims, ws_shape,
                                             ops::make_rope_tables(rope_config(shape.n_ctx)));
}

const float* RopeFactors::for_context(int32_t n_ctx, uint32_t n_ctx_orig) const {
  if (freqs != nullptr) return freqs;
  return static_cast<uint32_t>(n_ctx) > n_ctx_orig ? long_factors : short_factors;
}

RopeFactors bind_rope_factors(WeightBinder& b, const HParams& hp) {
  auto req = [&](TensorRole role) {
    return TensorReq{.role = role, .layer = -1, .part = TensorPart::kWeight,
                     .shape = {hp.n_rot / 2, 1}, .kind = WeightKind::kVector};
  };
  RopeFactors f;
  f.freqs = b.optional_f32(req(TensorRole::kRopeFreqs));
  f.long_factors = b.optional_f32(req(TensorRole::kRopeFactorsLong));
  f.short_factors = b.optional_f32(req(TensorRole::kRopeFactorsShort));
  return f;
}

void require_hparam(bool ok, const gguf::GgufFile& file, const HParams& hp, std::string_view what) {
  if (ok) return;
  throw Error(ErrorKind::kUnsupported, file.path() + ": architecture '" + hp.arch + "' requires " +
                                           std::string(what));
}

ops::RopeConfig rope_config_from(const HParams& hp, ops::RopeMode mode, const float* freq_factors) {
  ops::RopeConfig c;
  c.mode = mode;
  c.n_dims = static_cast<int32_t>(hp.n_rot);
  c.freq_base = hp.rope_freq_base;
  c.freq_scale = hp.rope_scaling_factor == 0.0f ? 1.0f : 1.0f / hp.rope_scaling_factor;
  if (hp.rope_scaling == RopeScaling::kNone) c.freq_scale = 1.0f;
  c.ext_factor = hp.rope_scaling == RopeScaling::kYarn ? 1.0f : 0.0f;
  c.attn_factor = 1.0f;
  if (c.ext_factor != 0.0f) {
    // llama.cpp: mscale = 0.1 ln(factor) + 1, then divided by the same
    // correction rope_yarn() applies again (so the net magnitude is mscale).
    const float factor = 1.0f / c.freq_scale;
    c.attn_factor = factor <= 1.0f ? 1.0f : 0.1f * std::log(factor) + 1.0f;
    c.attn_factor *= 1.0f / (1.0f + 0.1f * std::log(factor));
  }
  c.attn_factor *= hp.rope_attn_factor;
  c.beta_fast = 32.0f;
  c.beta_slow = 1.0f;
  c.n_ctx_orig = static_cast<int32_t>(hp.n_ctx_orig_yarn);
  c.freq_factors = freq_factors;
  return c;
}

}  // namespace hako::model
