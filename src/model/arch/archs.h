// Build functions of the architectures in this folder, one per file; the
// registry (model/arch_registry.cpp) lists them by general.architecture.
// Each binds the file's weights (throwing Error on a missing or malformed
// tensor, or a tensor it does not use) and returns the ready model.
#pragma once

#include <memory>

#include "model/arch_model.h"

namespace hako::gguf {
class GgufFile;
}

namespace hako::model::arch {

std::unique_ptr<ArchModel> build_llama(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b);
std::unique_ptr<ArchModel> build_qwen2(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b);
std::unique_ptr<ArchModel> build_qwen3(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b);
std::unique_ptr<ArchModel> build_phi3(const gguf::GgufFile& file, const HParams& hp, WeightBinder& b);

}  // namespace hako::model::arch
