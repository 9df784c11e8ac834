// HParams: the hyper-parameters of a transformer read from GGUF metadata,
// and the one table that names each field's key ("{arch}.embedding_length"),
// whether it is required, its allowed range and a one-line description.
// Reading, validating and printing all walk that table, so a field is
// declared once. Everything is validated before any buffer is sized from it:
// a hostile file gets a one-line Error naming the key and the allowed range.
// Not here: per-architecture extras (read in src/model/arch/<arch>.cpp) and
// tensor shapes (checked when weights are bound).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hako::gguf {
class GgufFile;
}

namespace hako::model {

enum class RopeScaling : uint8_t { kNone, kLinear, kYarn, kLongrope };
inline constexpr std::array<std::string_view, 4> kRopeScalingNames = {"none", "linear", "yarn",
                                                                       "longrope"};
std::string_view to_string(RopeScaling s);

struct HParams {
  std::string arch;  // general.architecture
  uint32_t n_vocab = 0;
  uint32_t n_ctx_train = 0;
  uint32_t n_embd = 0;
  uint32_t n_layer = 0;
  uint32_t n_ff = 0;
  uint32_t n_head = 0;
  uint32_t n_head_kv = 0;      // default n_head
  uint32_t n_embd_head_k = 0;  // default n_embd / n_head
  uint32_t n_embd_head_v = 0;  // default n_embd / n_head
  uint32_t n_rot = 0;          // rotated dims per head; default n_embd_head_k
  float f_norm_rms_eps = 0.0f;
  float f_attention_scale = 0.0f;  // K.Q scale; 0 means 1/sqrt(n_embd_head_k)
  float rope_freq_base = 10000.0f;
  float rope_scaling_factor = 0.0f;  // context extension factor; 0 = none
  RopeScaling rope_scaling = RopeScaling::kLinear;
  uint32_t n_ctx_orig_yarn = 0;  // default n_ctx_train
  float rope_attn_factor = 1.0f;

  uint32_t n_embd_q() const { return n_head * n_embd_head_k; }
  uint32_t n_embd_k_gqa() const { return n_head_kv * n_embd_head_k; }
  uint32_t n_embd_v_gqa() const { return n_head_kv * n_embd_head_v; }
  uint32_t n_embd_attn_out() const { return n_head * n_embd_head_v; }
};

// Limits hako accepts (well above any published model; they bound memory).
inline constexpr uint32_t kMaxLayers = 1024;
inline constexpr uint32_t kMaxEmbd = 65536;
inline constexpr uint32_t kMaxHeads = 4096;
inline constexpr uint32_t kMaxHeadDim = 8192;
inline constexpr uint32_t kMaxFf = 1u << 20;
inline constexpr uint32_t kMaxVocab = 1u << 22;
inline constexpr uint32_t kMaxAttnWidth = 1u << 18;  // n_head * head_dim

// Reads and validates the hyper-parameters of architecture `arch` from
// `file`. Throws Error(kFormat) for a missing required key, a wrong type or
// a value out of range, Error(kUnsupported) for per-layer arrays that vary,
// each naming the key and the allowed values.
HParams read_hparams(const gguf::GgufFile& file, std::string_view arch);

// One "name = value  (key: description)" line per field, in table order.
std::string describe(const HParams& hp);

}  // namespace hako::model
