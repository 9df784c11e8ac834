// phi3: llama-shaped blocks with NeoX RoPE (possibly partial: rope
// dimension < head width), a fused attn_qkv tensor, a fused ffn_up holding
// the gate rows then the up rows, optional LongRoPE factor sets, and Q scaled
// by 1/sqrt(head_dim) after RoPE (so the softmax scale is 1). llama.cpp
// disables phi3's sliding window; so does hako (the key is ignored).
#include <cmath>
#include <vector>

#include "gguf/gguf_file.h"
#include "model/arch/archs.h"
#include "model/layers/attention.h"
#include "model/layers/embedding.h"
#include "model/layers/mlp.h"

namespace hako::model::arch {
namespace {

struct Phi3Layer {
  layers::Norm attn_norm;  // [n_embd]
  layers::AttnWeights attn;  // views of attn_qkv {n_embd, n_q + 2 n_kv} (or split tensors)
  layers::Norm ffn_norm;   // [n_embd]
  layers::MlpWeights mlp;  // gate/up: views of ffn_up {n_embd, 2 n_ff}
};

class Phi3Model final : public ArchModel {
 public:
  Phi3Model(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b) : ArchModel(hp, {}) {
    require_hparam(hp.n_embd_head_k == hp.n_embd_head_v, file, hp, "equal key and value head widths");
    io_ = layers::bind_embeddings(b, hp, layers::OutputBias::kNone);
    rope_factors_ = bind_rope_factors(b, hp);
    for (uint32_t il = 0; il < hp.n_layer; ++il) {
      const auto i = static_cast<int32_t>(il);
      layers_.push_back({.attn_norm = layers::bind_norm(b, TensorRole::kAttnNorm, i, hp.n_embd),
                         .attn = layers::bind_attention(b, hp, i),
                         .ffn_norm = layers::bind_norm(b, TensorRole::kFfnNorm, i, hp.n_embd),
                         .mlp = layers::bind_mlp(b, hp, i, layers::MlpLayout::kFusedGateUp)});
    }
    attn_opt_ = {.shape = layers::attn_shape(hp),
                 .q_scale = 1.0f / std::sqrt(static_cast<float>(hp.n_embd_head_k))};
    attn_opt_.shape.kq_scale = 1.0f;
    b.finish();
    matrices_ = b.matrices();
  }

  void forward(const layers::ForwardArgs& fa) const noexcept override {
    const float eps = hp_.f_norm_rms_eps;
    layers::embed_tokens(fa, io_.token_embd);
    layers::prepare_rope(fa);
    for (size_t il = 0; il < layers_.size(); ++il) {
      const Phi3Layer& layer = layers_[il];
      layers::norm_batch(fa, layer.attn_norm, eps);
      layers::self_attention(fa, static_cast<int32_t>(il), layer.attn, attn_opt_);
      layers::add_residual(fa);
      layers::norm_batch(fa, layer.ffn_norm, eps);
      layers::swiglu_mlp(fa, layer.mlp);
      layers::add_residual(fa);
    }
    layers::output_logits(fa, io_.output_norm, eps, io_.output);
  }

 private:
  ops::RopeConfig rope_config(int32_t n_ctx) const override {
    return rope_config_from(hp_, ops::RopeMode::kNeox,
                            rope_factors_.for_context(n_ctx, hp_.n_ctx_orig_yarn));
  }

  layers::EmbeddingWeights io_;
  RopeFactors rope_factors_;
  std::vector<Phi3Layer> layers_;
  layers::AttnOptions attn_opt_;
};

}  // namespace

std::unique_ptr<ArchModel> build_phi3(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b) {
  return std::make_unique<Phi3Model>(file, hp, b);
}

}  // namespace hako::model::arch
