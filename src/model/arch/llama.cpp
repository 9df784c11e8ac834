// llama: pre-norm decoder blocks with GQA attention (normal RoPE, optional
// llama3 rope_freqs), a SwiGLU MLP, untied or tied output. Also covers
// files with a fused attn_qkv tensor and optional projection biases.
#include <vector>

#include "gguf/gguf_file.h"
#include "model/arch/archs.h"
#include "model/layers/attention.h"
#include "model/layers/embedding.h"
#include "model/layers/mlp.h"

namespace hako::model::arch {
namespace {

struct LlamaLayer {
  layers::Norm attn_norm;    // [n_embd]
  layers::AttnWeights attn;
  layers::Norm ffn_norm;     // [n_embd]
  layers::MlpWeights mlp;
};

class LlamaModel final : public ArchModel {
 public:
  LlamaModel(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b)
      : ArchModel(hp, {}) {
    require_hparam(hp.n_rot == hp.n_embd_head_k, file, hp,
                   "rope.dimension_count equal to the head width");
    io_ = layers::bind_embeddings(b, hp, layers::OutputBias::kNone);
    rope_factors_ = bind_rope_factors(b, hp);
    for (uint32_t il = 0; il < hp.n_layer; ++il) {
      const auto i = static_cast<int32_t>(il);
      layers_.push_back({.attn_norm = layers::bind_norm(b, TensorRole::kAttnNorm, i, hp.n_embd),
                         .attn = layers::bind_attention(b, hp, i),
                         .ffn_norm = layers::bind_norm(b, TensorRole::kFfnNorm, i, hp.n_embd),
                         .mlp = layers::bind_mlp(b, hp, i, layers::MlpLayout::kSplitGateUp)});
    }
    attn_opt_ = {.shape = layers::attn_shape(hp)};
    b.finish();
    matrices_ = b.matrices();
  }

  void forward(const layers::ForwardArgs& fa) const noexcept override {
    const float eps = hp_.f_norm_rms_eps;
    layers::embed_tokens(fa, io_.token_embd);
    layers::prepare_rope(fa);
    for (size_t il = 0; il < layers_.size(); ++il) {
      const LlamaLayer& layer = layers_[il];
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
    return rope_config_from(hp_, ops::RopeMode::kNormal,
                            rope_factors_.for_context(n_ctx, hp_.n_ctx_orig_yarn));
  }

  layers::EmbeddingWeights io_;
  RopeFactors rope_factors_;
  std::vector<LlamaLayer> layers_;
  layers::AttnOptions attn_opt_;
};

}  // namespace

std::unique_ptr<ArchModel> build_llama(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b) {
  return std::make_unique<LlamaModel>(file, hp, b);
}

}  // namespace hako::model::arch
