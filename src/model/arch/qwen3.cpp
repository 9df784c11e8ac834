// qwen3 and qwen2: llama-shaped decoder blocks with NeoX RoPE. qwen3 adds a
// per-head RMS norm of Q and K before RoPE (attn_q_norm / attn_k_norm, over
// head_dim); qwen2 has none but usually Q/K/V biases and may have an output
// bias. Both tie the output to token_embd when output.weight is absent.
#include <vector>

#include "gguf/gguf_file.h"
#include "model/arch/archs.h"
#include "model/layers/attention.h"
#include "model/layers/embedding.h"
#include "model/layers/mlp.h"

namespace hako::model::arch {
namespace {

enum class QkNorm : uint8_t { kNone, kPerHead };

struct QwenLayer {
  layers::Norm attn_norm;  // [n_embd]
  layers::AttnWeights attn;
  layers::Norm q_norm;     // [head_dim_k] (qwen3 only)
  layers::Norm k_norm;     // [head_dim_k] (qwen3 only)
  layers::Norm ffn_norm;   // [n_embd]
  layers::MlpWeights mlp;
  layers::AttnOptions attn_opt;  // points at q_norm / k_norm above
};

class QwenModel final : public ArchModel {
 public:
  QwenModel(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b, QkNorm qk_norm)
      : ArchModel(hp, {}) {
    require_hparam(hp.n_rot == hp.n_embd_head_k, file, hp,
                   "rope.dimension_count equal to the head width");
    io_ = layers::bind_embeddings(
        b, hp, qk_norm == QkNorm::kNone ? layers::OutputBias::kOptional : layers::OutputBias::kNone);
    layers_.resize(hp.n_layer);
    for (uint32_t il = 0; il < hp.n_layer; ++il) {
      const auto i = static_cast<int32_t>(il);
      QwenLayer& layer = layers_[il];
      layer.attn_norm = layers::bind_norm(b, TensorRole::kAttnNorm, i, hp.n_embd);
      layer.attn = layers::bind_attention(b, hp, i);
      layer.ffn_norm = layers::bind_norm(b, TensorRole::kFfnNorm, i, hp.n_embd);
      layer.mlp = layers::bind_mlp(b, hp, i, layers::MlpLayout::kSplitGateUp);
      layer.attn_opt = {.shape = layers::attn_shape(hp), .norm_eps = hp.f_norm_rms_eps};
      if (qk_norm == QkNorm::kPerHead) {
        layer.q_norm = layers::bind_norm(b, TensorRole::kAttnQNorm, i, hp.n_embd_head_k);
        layer.k_norm = layers::bind_norm(b, TensorRole::kAttnKNorm, i, hp.n_embd_head_k);
        layer.attn_opt.q_norm = &layer.q_norm;
        layer.attn_opt.k_norm = &layer.k_norm;
      }
    }
    b.finish();
    matrices_ = b.matrices();
  }

  void forward(const layers::ForwardArgs& fa) const noexcept override {
    const float eps = hp_.f_norm_rms_eps;
    layers::embed_tokens(fa, io_.token_embd);
    layers::prepare_rope(fa);
    for (size_t il = 0; il < layers_.size(); ++il) {
      const QwenLayer& layer = layers_[il];
      layers::norm_batch(fa, layer.attn_norm, eps);
      layers::self_attention(fa, static_cast<int32_t>(il), layer.attn, layer.attn_opt);
      layers::add_residual(fa);
      layers::norm_batch(fa, layer.ffn_norm, eps);
      layers::swiglu_mlp(fa, layer.mlp);
      layers::add_residual(fa);
    }
    layers::output_logits(fa, io_.output_norm, eps, io_.output);
  }

 private:
  ops::RopeConfig rope_config(int32_t /*n_ctx*/) const override {
    return rope_config_from(hp_, ops::RopeMode::kNeox, nullptr);
  }

  layers::EmbeddingWeights io_;
  std::vector<QwenLayer> layers_;  // never resized after binding (attn_opt points into it)
};

}  // namespace

std::unique_ptr<ArchModel> build_qwen2(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b) {
  return std::make_unique<QwenModel>(file, hp, b, QkNorm::kNone);
}

std::unique_ptr<ArchModel> build_qwen3(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b) {
  return std::make_unique<QwenModel>(file, hp, b, QkNorm::kPerHead);
}

}  // namespace hako::model::arch
