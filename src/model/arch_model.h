// ArchModel: a loaded architecture — its hyper-parameters, its bound weights
// (views into the mmap'd GGUF) and its forward pass. One subclass per
// architecture lives in src/model/arch/<arch>.cpp; the registry
// (arch_registry.h) maps general.architecture to its build function. This
// base class also plans what a context needs for it: the KV cache layout and
// the workspace (the dense-transformer buffers; MoE and recurrent models will
// extend the plan).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "kernels/ops/rope.h"
#include "model/hparams.h"
#include "model/layers/forward_args.h"
#include "model/layers/workspace.h"
#include "model/weight_binder.h"
#include "state/kv_cache.h"
#include "tensor/tensor_view.h"

namespace hako::model {

struct ContextShape {
  int32_t n_ctx = 0;     // KV cells
  int32_t n_ubatch = 0;  // most tokens per forward pass
  int32_t n_threads = 1;
};

class ArchModel {
 public:
  virtual ~ArchModel() = default;
  ArchModel(const ArchModel&) = delete;
  ArchModel& operator=(const ArchModel&) = delete;

  const HParams& hparams() const { return hp_; }
  // Every weight matrix, once (fused tensors once, not per view).
  std::span<const TensorView> matrices() const { return matrices_; }
  // Bytes of all matrices (the weights a decode step reads).
  uint64_t matrix_bytes() const;

  state::KvCacheOptions kv_options(const ContextShape& shape) const;
  std::unique_ptr<layers::Workspace> make_workspace(const ContextShape& shape) const;

  // Evaluates args.batch: writes K/V of its tokens into their cells and the
  // logits of its output rows. Never throws or allocates; everything it
  // touches was validated and sized when the model and context were built.
  virtual void forward(const layers::ForwardArgs& args) const noexcept = 0;

 protected:
  ArchModel(HParams hp, std::vector<TensorView> matrices)
      : hp_(std::move(hp)), matrices_(std::move(matrices)) {}

  // This architecture's RoPE for a context of n_ctx tokens (LongRoPE picks
  // its factors by the context length).
  virtual ops::RopeConfig rope_config(int32_t n_ctx) const = 0;

  HParams hp_;
  std::vector<TensorView> matrices_;
};

// Optional RoPE frequency tensors: llama3's rope_freqs, or LongRoPE's long
// and short factor sets (phi3); each [n_rot/2] f32 or nullptr.
struct RopeFactors {
  const float* freqs = nullptr;
  const float* long_factors = nullptr;
  const float* short_factors = nullptr;

  // The set llama.cpp uses for a context of n_ctx tokens: rope_freqs if
  // present, else the long factors beyond the original context, else short.
  const float* for_context(int32_t n_ctx, uint32_t n_ctx_orig) const;
};
RopeFactors bind_rope_factors(WeightBinder& b, const HParams& hp);

// Throws Error(kUnsupported) "<file>: <arch> requires <what>" unless ok.
void require_hparam(bool ok, const gguf::GgufFile& file, const HParams& hp, std::string_view what);

// The RoPE configuration hp describes, as llama.cpp derives it (linear or
// YaRN scaling, YaRN's magnitude correction, rope.scaling.attn_factor).
ops::RopeConfig rope_config_from(const HParams& hp, ops::RopeMode mode, const float* freq_factors);

}  // namespace hako::model
