// hako::Model (include/hako/model.h) over model::load_model().
#include "hako/model.h"

#include "model/loaded_model.h"

namespace hako {

Model::Model(std::unique_ptr<model::LoadedModel> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

namespace {

model::WeightLayoutPolicy policy(const LoadOptions& o) {
  return o.layout == WeightLayout::kAsStored ? model::WeightLayoutPolicy::kAsStored
                                             : model::WeightLayoutPolicy::kFastest;
}

}  // namespace

Model Model::load(const std::string& path, const LoadOptions& options) {
  return Model(model::load_model(path, policy(options)));
}

Model Model::load_from_memory(std::span<const uint8_t> bytes, const std::string& display_name,
                              const LoadOptions& options) {
  return Model(model::load_model(
      gguf::GgufFile::parse_or_throw(bytes.data(), bytes.size(), display_name), policy(options)));
}

std::string_view Model::architecture() const { return impl_->arch->hparams().arch; }
int32_t Model::n_vocab() const { return static_cast<int32_t>(impl_->arch->hparams().n_vocab); }
int32_t Model::n_ctx_train() const { return static_cast<int32_t>(impl_->arch->hparams().n_ctx_train); }
int32_t Model::n_layer() const { return static_cast<int32_t>(impl_->arch->hparams().n_layer); }
int32_t Model::n_embd() const { return static_cast<int32_t>(impl_->arch->hparams().n_embd); }
uint64_t Model::weight_bytes() const { return impl_->arch->matrix_bytes(); }
uint64_t Model::relaid_bytes() const { return impl_->store->interleaved_bytes(); }
double Model::relayout_seconds() const { return impl_->store->interleave_seconds(); }

}  // namespace hako
