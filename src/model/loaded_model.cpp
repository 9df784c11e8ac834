// The loading pipeline (see loaded_model.h).
#include "model/loaded_model.h"

#include "base/error.h"
#include "model/arch_registry.h"
#include "model/hparams.h"

namespace hako::model {

std::unique_ptr<LoadedModel> load_model(gguf::GgufFile file, WeightLayoutPolicy policy) {
  auto m = std::unique_ptr<LoadedModel>(new LoadedModel{std::move(file), nullptr, nullptr});
  const std::string arch = m->file.architecture();
  const ArchEntry* entry = nullptr;
  try {
    entry = &find_arch_or_throw(arch);
  } catch (const Error& e) {
    rethrow_with_context(e, m->file.path());
  }
  const HParams hp = read_hparams(m->file, arch);
  m->store = std::make_unique<WeightStore>(m->file, policy);
  WeightBinder binder(m->file, m->store.get());
  m->arch = entry->build(m->file, hp, binder);
  return m;
}

std::unique_ptr<LoadedModel> load_model(const std::string& path, WeightLayoutPolicy policy) {
  return load_model(gguf::GgufFile::open_or_throw(path), policy);
}

}  // namespace hako::model
