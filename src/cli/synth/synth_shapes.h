// The shapes `hako synth` can write: the architecture, hyper-parameters and
// vocabulary layout of published models (Qwen3, Llama 3.x, Phi-4-mini), so a
// random-weight file has exactly the tensor names, shapes, metadata and
// vocabulary size of the real one. This is a table of facts, nothing more;
// synth_model.h turns a shape into a GGUF file.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace hako::synth {

enum class SynthArch { kLlama, kQwen3, kPhi3 };
enum class Embeddings { kTied, kSeparate };  // does output.weight reuse token_embd.weight?

// A special token at a fixed id (e.g. Qwen's <|im_end|> = 151645).
struct SpecialToken {
  uint32_t id;
  std::string_view text;
};

// The byte-level BPE ("gpt2") vocabulary layout: 256 byte tokens, a few
// synthetic merges and filler tokens, then the special range
// [special_begin, n_vocab) whose ids not listed in `specials` are named by
// `filler_format` (a printf format taking the id, e.g. "[PAD%u]").
struct VocabStyle {
  std::string_view pre;               // tokenizer.ggml.pre ("qwen2", "llama-bpe", "gpt-4o")
  uint32_t special_begin;             // first id of the special range
  std::span<const SpecialToken> specials;
  std::string_view filler_format;     // for unlisted ids in the special range
  uint32_t filler_token_type;         // 3 control, 5 unused
  uint32_t bos_id, eos_id, eot_id, pad_id;
  bool add_bos;                       // tokenizer.ggml.add_bos_token
};

// Llama-3 rope scaling ("llama3" in HF config); factor 0 = none.
struct Llama3Rope {
  float factor = 0.0f;
  float low_freq_factor = 1.0f;
  float high_freq_factor = 4.0f;
  uint32_t original_context = 8192;
};

// Phi-3 "longrope" scaling: written as rope_factors_long/short tensors of
// n_rot/2 entries and rope.scaling.* keys; original_context 0 = none.
struct LongRope {
  uint32_t original_context = 0;
  float long_factor_max = 1.0f;  // long factors ramp from 1 to this (synthetic values)
};

struct ModelShape {
  std::string_view name;       // "qwen3-0.6b" (the --shape argument)
  std::string_view hf_name;    // "Qwen3-0.6B" (general.name)
  SynthArch arch;
  uint32_t n_embd, n_layer, n_head, n_head_kv, head_dim, n_ff, n_vocab;
  uint32_t n_rot;              // rotary dims per head (head_dim unless partial)
  uint32_t n_ctx;              // <arch>.context_length
  float rope_theta;
  float rms_eps;
  Embeddings embeddings;
  Llama3Rope llama3_rope;
  LongRope long_rope;
  uint32_t sliding_window;     // 0 = none
  const VocabStyle* vocab;
};

// GGUF architecture name: "llama", "qwen3", "phi3".
std::string_view arch_name(SynthArch a);
// Every built-in shape, in --list order.
std::span<const ModelShape> builtin_shapes();
// The shape named `name` (case-insensitive) or nullptr.
const ModelShape* find_shape(std::string_view name);

}  // namespace hako::synth
