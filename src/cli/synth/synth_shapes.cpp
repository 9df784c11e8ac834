// The table of built-in `hako synth` shapes. Numbers are the published
// Hugging Face config.json values of each model (hidden_size, num_hidden_layers,
// num_attention_heads, num_key_value_heads, head_dim, intermediate_size,
// vocab_size, rope_theta, rms_norm_eps, max_position_embeddings,
// tie_word_embeddings, rope_scaling), as llama.cpp's converter writes them.
// Special-token ids are those of the real tokenizers.
#include "cli/synth/synth_shapes.h"

#include <array>
#include <cctype>

namespace hako::synth {
namespace {

// Qwen2/Qwen3 tokenizer: 151643 BPE tokens, then these, then [PAD<id>] up to 151935.
constexpr std::array<SpecialToken, 26> kQwenSpecials = {{
    {151643, "<|endoftext|>"}, {151644, "<|im_start|>"}, {151645, "<|im_end|>"},
    {151646, "<|object_ref_start|>"}, {151647, "<|object_ref_end|>"}, {151648, "<|box_start|>"},
    {151649, "<|box_end|>"}, {151650, "<|quad_start|>"}, {151651, "<|quad_end|>"},
    {151652, "<|vision_start|>"}, {151653, "<|vision_end|>"}, {151654, "<|vision_pad|>"},
    {151655, "<|image_pad|>"}, {151656, "<|video_pad|>"}, {151657, "<tool_call>"},
    {151658, "</tool_call>"}, {151659, "<|fim_prefix|>"}, {151660, "<|fim_middle|>"},
    {151661, "<|fim_suffix|>"}, {151662, "<|fim_pad|>"}, {151663, "<|repo_name|>"},
    {151664, "<|file_sep|>"}, {151665, "<tool_response>"}, {151666, "</tool_response>"},
    {151667, "<think>"}, {151668, "</think>"},
}};
constexpr VocabStyle kQwenVocab = {
    .pre = "qwen2", .special_begin = 151643, .specials = kQwenSpecials,
    .filler_format = "[PAD%u]", .filler_token_type = 5,
    .bos_id = 151643, .eos_id = 151645, .eot_id = 151645, .pad_id = 151643, .add_bos = false};

// Llama 3 tokenizer: 128000 BPE tokens, then 256 specials (reserved ones named by id order).
constexpr std::array<SpecialToken, 11> kLlama3Specials = {{
    {128000, "<|begin_of_text|>"}, {128001, "<|end_of_text|>"},
    {128002, "<|reserved_special_token_0|>"}, {128003, "<|reserved_special_token_1|>"},
    {128004, "<|finetune_right_pad_id|>"}, {128005, "<|reserved_special_token_2|>"},
    {128006, "<|start_header_id|>"}, {128007, "<|end_header_id|>"}, {128008, "<|eom_id|>"},
    {128009, "<|eot_id|>"}, {128010, "<|python_tag|>"},
}};
constexpr VocabStyle kLlama3Vocab = {
    .pre = "llama-bpe", .special_begin = 128000, .specials = kLlama3Specials,
    .filler_format = "<|reserved_special_token_%u|>", .filler_token_type = 3,
    .bos_id = 128000, .eos_id = 128009, .eot_id = 128009, .pad_id = 128004, .add_bos = true};

// Phi-4-mini (o200k-based): specials from 199999, dummies up to 200063.
constexpr std::array<SpecialToken, 12> kPhi4Specials = {{
    {199999, "<|endoftext|>"}, {200018, "<|endofprompt|>"}, {200019, "<|assistant|>"},
    {200020, "<|end|>"}, {200021, "<|user|>"}, {200022, "<|system|>"}, {200023, "<|tool|>"},
    {200024, "<|/tool|>"}, {200025, "<|tool_call|>"}, {200026, "<|/tool_call|>"},
    {200027, "<|tool_response|>"}, {200028, "<|tag|>"},
}};
constexpr VocabStyle kPhi4Vocab = {
    .pre = "gpt-4o", .special_begin = 199999, .specials = kPhi4Specials,
    .filler_format = "<|dummy_id_%u|>", .filler_token_type = 3,
    .bos_id = 199999, .eos_id = 199999, .eot_id = 200020, .pad_id = 199999, .add_bos = false};

constexpr ModelShape qwen3(std::string_view name, std::string_view hf, uint32_t n_embd,
                           uint32_t n_layer, uint32_t n_head, uint32_t n_ff, Embeddings emb) {
  return ModelShape{.name = name, .hf_name = hf, .arch = SynthArch::kQwen3, .n_embd = n_embd,
                    .n_layer = n_layer, .n_head = n_head, .n_head_kv = 8, .head_dim = 128,
                    .n_ff = n_ff, .n_vocab = 151936, .n_rot = 128, .n_ctx = 40960,
                    .rope_theta = 1000000.0f, .rms_eps = 1e-6f, .embeddings = emb,
                    .llama3_rope = {}, .long_rope = {}, .sliding_window = 0, .vocab = &kQwenVocab};
}

constexpr std::array<ModelShape, 8> kShapes = {{
    qwen3("qwen3-0.6b", "Qwen3-0.6B", 1024, 28, 16, 3072, Embeddings::kTied),
    qwen3("qwen3-1.7b", "Qwen3-1.7B", 2048, 28, 16, 6144, Embeddings::kTied),
    qwen3("qwen3-4b", "Qwen3-4B", 2560, 36, 32, 9728, Embeddings::kTied),
    qwen3("qwen3-8b", "Qwen3-8B", 4096, 36, 32, 12288, Embeddings::kSeparate),
    {.name = "llama-3.2-1b", .hf_name = "Llama-3.2-1B-Instruct", .arch = SynthArch::kLlama,
     .n_embd = 2048, .n_layer = 16, .n_head = 32, .n_head_kv = 8, .head_dim = 64, .n_ff = 8192,
     .n_vocab = 128256, .n_rot = 64, .n_ctx = 131072, .rope_theta = 500000.0f, .rms_eps = 1e-5f,
     .embeddings = Embeddings::kTied, .llama3_rope = {32.0f, 1.0f, 4.0f, 8192}, .long_rope = {},
     .sliding_window = 0, .vocab = &kLlama3Vocab},
    {.name = "llama-3.2-3b", .hf_name = "Llama-3.2-3B-Instruct", .arch = SynthArch::kLlama,
     .n_embd = 3072, .n_layer = 28, .n_head = 24, .n_head_kv = 8, .head_dim = 128, .n_ff = 8192,
     .n_vocab = 128256, .n_rot = 128, .n_ctx = 131072, .rope_theta = 500000.0f, .rms_eps = 1e-5f,
     .embeddings = Embeddings::kTied, .llama3_rope = {32.0f, 1.0f, 4.0f, 8192}, .long_rope = {},
     .sliding_window = 0, .vocab = &kLlama3Vocab},
    {.name = "llama-3.1-8b", .hf_name = "Llama-3.1-8B-Instruct", .arch = SynthArch::kLlama,
     .n_embd = 4096, .n_layer = 32, .n_head = 32, .n_head_kv = 8, .head_dim = 128, .n_ff = 14336,
     .n_vocab = 128256, .n_rot = 128, .n_ctx = 131072, .rope_theta = 500000.0f, .rms_eps = 1e-5f,
     .embeddings = Embeddings::kSeparate, .llama3_rope = {8.0f, 1.0f, 4.0f, 8192}, .long_rope = {},
     .sliding_window = 0, .vocab = &kLlama3Vocab},
    // Phi-4-mini: partial rotary 0.75 (96 of 128 dims), LongRoPE from 4096 to 131072.
    {.name = "phi-4-mini", .hf_name = "Phi-4-mini-instruct", .arch = SynthArch::kPhi3,
     .n_embd = 3072, .n_layer = 32, .n_head = 24, .n_head_kv = 8, .head_dim = 128, .n_ff = 8192,
     .n_vocab = 200064, .n_rot = 96, .n_ctx = 131072, .rope_theta = 10000.0f, .rms_eps = 1e-5f,
     .embeddings = Embeddings::kTied, .llama3_rope = {}, .long_rope = {4096, 40.0f},
     .sliding_window = 262144, .vocab = &kPhi4Vocab},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace

std::string_view arch_name(SynthArch a) {
  switch (a) {
    case SynthArch::kLlama: return "llama";
    case SynthArch::kQwen3: return "qwen3";
    case SynthArch::kPhi3: return "phi3";
  }
  return "?";
}

std::span<const ModelShape> builtin_shapes() { return kShapes; }

const ModelShape* find_shape(std::string_view name) {
  for (const ModelShape& s : kShapes) {
    if (iequals(s.name, name)) return &s;
  }
  return nullptr;
}

}  // namespace hako::synth
