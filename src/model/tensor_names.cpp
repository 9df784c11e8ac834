// The tensor-name table (see tensor_names.h).
#include "model/tensor_names.h"

#include <array>

namespace hako::model {
namespace {

struct RoleName {
  TensorRole role;
  std::string_view format;
};

constexpr std::array kNames = {
    RoleName{TensorRole::kTokenEmbd, "token_embd"},
    RoleName{TensorRole::kOutputNorm, "output_norm"},
    RoleName{TensorRole::kOutput, "output"},
    RoleName{TensorRole::kRopeFreqs, "rope_freqs"},
    RoleName{TensorRole::kRopeFactorsLong, "rope_factors_long"},
    RoleName{TensorRole::kRopeFactorsShort, "rope_factors_short"},
    RoleName{TensorRole::kAttnNorm, "blk.%d.attn_norm"},
    RoleName{TensorRole::kAttnQ, "blk.%d.attn_q"},
    RoleName{TensorRole::kAttnK, "blk.%d.attn_k"},
    RoleName{TensorRole::kAttnV, "blk.%d.attn_v"},
    RoleName{TensorRole::kAttnQkv, "blk.%d.attn_qkv"},
    RoleName{TensorRole::kAttnOut, "blk.%d.attn_output"},
    RoleName{TensorRole::kAttnQNorm, "blk.%d.attn_q_norm"},
    RoleName{TensorRole::kAttnKNorm, "blk.%d.attn_k_norm"},
    RoleName{TensorRole::kFfnNorm, "blk.%d.ffn_norm"},
    RoleName{TensorRole::kFfnGate, "blk.%d.ffn_gate"},
    RoleName{TensorRole::kFfnUp, "blk.%d.ffn_up"},
    RoleName{TensorRole::kFfnDown, "blk.%d.ffn_down"},
};

static_assert([] {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (static_cast<size_t>(kNames[i].role) != i) return false;
  }
  return true;
}(), "kNames must list the roles in enum order");

}  // namespace

std::string_view tensor_format(TensorRole role) { return kNames[static_cast<size_t>(role)].format; }

bool is_per_layer(TensorRole role) { return tensor_format(role).find("%d") != std::string_view::npos; }

std::string tensor_name(TensorRole role, int32_t layer, TensorPart part) {
  const std::string_view fmt = tensor_format(role);
  std::string name;
  const size_t at = fmt.find("%d");
  if (at == std::string_view::npos) {
    name = std::string(fmt);
  } else {
    name = std::string(fmt.substr(0, at)) + std::to_string(layer) + std::string(fmt.substr(at + 2));
  }
  name += part == TensorPart::kWeight ? ".weight" : ".bias";
  return name;
}

}  // namespace hako::model
