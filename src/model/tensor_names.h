// The GGUF tensor names, written once per role in one table (as llama.cpp's
// llama-arch.cpp does): "blk.%d.attn_q" + ".weight"/".bias". Architectures
// and the weight binder refer to roles, never to spelled-out names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hako::model {

enum class TensorRole : uint8_t {
  kTokenEmbd,
  kOutputNorm,
  kOutput,
  kRopeFreqs,         // llama3-style per-dimension frequency divisors
  kRopeFactorsLong,   // phi3 LongRoPE factors, context > original
  kRopeFactorsShort,  // phi3 LongRoPE factors, context <= original
  kAttnNorm,
  kAttnQ,
  kAttnK,
  kAttnV,
  kAttnQkv,           // fused Q, K, V rows
  kAttnOut,
  kAttnQNorm,
  kAttnKNorm,
  kFfnNorm,
  kFfnGate,
  kFfnUp,             // may hold gate and up rows fused (phi3)
  kFfnDown,
};

enum class TensorPart : uint8_t { kWeight, kBias };

// The role's base name: "token_embd", or "blk.%d.attn_q" for per-layer roles.
std::string_view tensor_format(TensorRole role);
// True for roles whose name contains the layer number.
bool is_per_layer(TensorRole role);
// Full tensor name, e.g. tensor_name(kAttnQ, 3, kWeight) == "blk.3.attn_q.weight".
// layer is ignored for global roles.
std::string tensor_name(TensorRole role, int32_t layer, TensorPart part);

}  // namespace hako::model
