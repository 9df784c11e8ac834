// Reading HParams through the field table (see hparams.h). The table lists
// every scalar field once; the code after it fills the documented defaults
// and checks the relations between fields.
#include "model/hparams.h"

#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <variant>

#include "base/error.h"
#include "gguf/gguf_file.h"

namespace hako::model {
namespace {

enum class Need : uint8_t { kRequired, kOptional };

// A field: where it lives, its key without the "{arch}." prefix, whether the
// file must have it, its inclusive range and what it means.
template <class T>
struct Field {
  T HParams::*member;
  std::string_view key;
  Need need;
  T min;
  T max;
  std::string_view doc;
};
using U32Field = Field<uint32_t>;
using F32Field = Field<float>;
constexpr Need kReq = Need::kRequired;
constexpr Need kOpt = Need::kOptional;
constexpr float kBig = 1e30f;

constexpr std::array kU32Fields = {
    U32Field{&HParams::n_ctx_train, "context_length", kReq, 1, 1u << 30, "training context length"},
    U32Field{&HParams::n_embd, "embedding_length", kReq, 1, kMaxEmbd, "residual stream width"},
    U32Field{&HParams::n_layer, "block_count", kReq, 1, kMaxLayers, "transformer blocks"},
    U32Field{&HParams::n_ff, "feed_forward_length", kReq, 1, kMaxFf, "MLP hidden width"},
    U32Field{&HParams::n_head, "attention.head_count", kReq, 1, kMaxHeads, "query heads"},
    U32Field{&HParams::n_head_kv, "attention.head_count_kv", kOpt, 1, kMaxHeads,
             "key/value heads (default: head_count)"},
    U32Field{&HParams::n_embd_head_k, "attention.key_length", kOpt, 1, kMaxHeadDim,
             "query/key head width (default: embedding_length / head_count)"},
    U32Field{&HParams::n_embd_head_v, "attention.value_length", kOpt, 1, kMaxHeadDim,
             "value head width (default: embedding_length / head_count)"},
    U32Field{&HParams::n_rot, "rope.dimension_count", kOpt, 2, kMaxHeadDim,
             "rotated dims per head (default: key_length)"},
    U32Field{&HParams::n_ctx_orig_yarn, "rope.scaling.original_context_length", kOpt, 1, 1u << 30,
             "context the rope scaling extends (default: context_length)"},
    U32Field{&HParams::n_vocab, "vocab_size", kOpt, 1, kMaxVocab,
             "vocabulary size (default: length of tokenizer.ggml.tokens)"},
};

constexpr std::array kF32Fields = {
    F32Field{&HParams::f_norm_rms_eps, "attention.layer_norm_rms_epsilon", kReq, 0.0f, 1.0f,
             "RMS norm epsilon"},
    F32Field{&HParams::f_attention_scale, "attention.scale", kOpt, 0.0f, kBig,
             "K.Q scale (default: 1/sqrt(key_length))"},
    F32Field{&HParams::rope_freq_base, "rope.freq_base", kOpt, 1e-6f, kBig, "RoPE base frequency"},
    F32Field{&HParams::rope_scaling_factor, "rope.scaling.factor", kOpt, 0.0f, kBig,
             "RoPE context scaling factor (0: none)"},
    F32Field{&HParams::rope_attn_factor, "rope.scaling.attn_factor", kOpt, 0.0f, kBig,
             "RoPE magnitude factor"},
};

[[noreturn]] void fail(const gguf::GgufFile& f, ErrorKind kind, const std::string& msg) {
  throw Error(kind, f.path() + ": " + msg);
}

std::string full_key(std::string_view arch, std::string_view key) {
  return std::string(arch) + "." + std::string(key);
}

// A u32 that may also be stored per layer: an array is accepted when all its
// entries are equal (hako has no per-layer widths yet).
std::optional<uint32_t> read_u32(const gguf::GgufFile& f, const std::string& key) {
  const gguf::Value* v = f.find(key);
  if (v == nullptr || v->type() != gguf::ValueType::kArray) return f.get_u32(key);
  if (v->array_size() == 0 || !gguf::is_integer(v->array_type())) {
    fail(f, ErrorKind::kFormat, "metadata '" + key + "' is an empty or non-integer array");
  }
  const uint64_t first = v->uint_at(0);
  for (uint64_t i = 1; i < v->array_size(); ++i) {
    if (v->uint_at(i) != first) {
      fail(f, ErrorKind::kUnsupported,
           "metadata '" + key + "' differs between layers, which hako does not support yet");
    }
  }
  if (first > std::numeric_limits<uint32_t>::max()) {
    fail(f, ErrorKind::kFormat, "metadata '" + key + "' does not fit in 32 bits");
  }
  return static_cast<uint32_t>(first);
}

template <class T>
void read_field(const gguf::GgufFile& f, std::string_view arch, const Field<T>& fd, HParams& hp) {
  const std::string key = full_key(arch, fd.key);
  std::optional<T> v;
  if constexpr (std::is_same_v<T, uint32_t>) {
    v = read_u32(f, key);
  } else {
    v = f.get_f32(key);
  }
  if (!v) {
    if (fd.need == Need::kRequired) fail(f, ErrorKind::kFormat, "metadata '" + key + "' is missing");
    return;
  }
  const bool in_range = *v >= fd.min && *v <= fd.max;  // false for NaN
  if (!in_range) {
    std::ostringstream os;
    os << "metadata '" << key << "' = " << *v << " is out of range [" << fd.min << ", " << fd.max
       << "]";
    fail(f, ErrorKind::kFormat, os.str());
  }
  hp.*fd.member = *v;
}

RopeScaling read_rope_scaling(const gguf::GgufFile& f, std::string_view arch) {
  const std::string key = full_key(arch, "rope.scaling.type");
  const auto s = f.get_string(key);
  if (!s) return RopeScaling::kLinear;
  for (size_t i = 0; i < kRopeScalingNames.size(); ++i) {
    if (*s == kRopeScalingNames[i]) return static_cast<RopeScaling>(i);
  }
  fail(f, ErrorKind::kUnsupported,
       "metadata '" + key + "' = '" + std::string(*s) +
           "' is not a known rope scaling (none, linear, yarn, longrope)");
}

void fill_head_defaults(const gguf::GgufFile& f, HParams& hp) {
  if (hp.n_head_kv == 0) hp.n_head_kv = hp.n_head;
  const std::string a = hp.arch;
  if (hp.n_head_kv > hp.n_head || hp.n_head % hp.n_head_kv != 0) {
    fail(f, ErrorKind::kFormat,
         "metadata '" + a + ".attention.head_count_kv' = " + std::to_string(hp.n_head_kv) +
             " must divide '" + a + ".attention.head_count' = " + std::to_string(hp.n_head));
  }
  if ((hp.n_embd_head_k == 0 || hp.n_embd_head_v == 0) && hp.n_embd % hp.n_head != 0) {
    fail(f, ErrorKind::kFormat,
         "metadata '" + a + ".embedding_length' = " + std::to_string(hp.n_embd) +
             " is not a multiple of '" + a + ".attention.head_count' = " + std::to_string(hp.n_head) +
             " and no head width (attention.key_length) is given");
  }
  if (hp.n_embd_head_k == 0) hp.n_embd_head_k = hp.n_embd / hp.n_head;
  if (hp.n_embd_head_v == 0) hp.n_embd_head_v = hp.n_embd / hp.n_head;
  if (hp.n_rot == 0) hp.n_rot = hp.n_embd_head_k;
  if (hp.n_rot > hp.n_embd_head_k || hp.n_rot % 2 != 0) {
    fail(f, ErrorKind::kFormat,
         "metadata '" + a + ".rope.dimension_count' = " + std::to_string(hp.n_rot) +
             " must be even and at most the head width " + std::to_string(hp.n_embd_head_k));
  }
  const uint64_t width_q = uint64_t{hp.n_head} * std::max(hp.n_embd_head_k, hp.n_embd_head_v);
  if (width_q > kMaxAttnWidth) {
    fail(f, ErrorKind::kLimit,
         "attention width head_count x head width = " + std::to_string(width_q) +
             " exceeds hako's limit of " + std::to_string(kMaxAttnWidth));
  }
}

void fill_vocab(const gguf::GgufFile& f, HParams& hp) {
  if (hp.n_vocab != 0) return;
  const gguf::Value* tokens = f.get_array("tokenizer.ggml.tokens");
  if (tokens == nullptr) {
    fail(f, ErrorKind::kFormat,
         "neither '" + hp.arch + ".vocab_size' nor 'tokenizer.ggml.tokens' gives the vocabulary size");
  }
  if (tokens->array_size() == 0 || tokens->array_size() > kMaxVocab) {
    fail(f, ErrorKind::kFormat, "'tokenizer.ggml.tokens' has " + std::to_string(tokens->array_size()) +
                                    " entries, expected 1.." + std::to_string(kMaxVocab));
  }
  hp.n_vocab = static_cast<uint32_t>(tokens->array_size());
}

}  // namespace

std::string_view to_string(RopeScaling s) { return kRopeScalingNames[static_cast<size_t>(s)]; }

HParams read_hparams(const gguf::GgufFile& file, std::string_view arch) {
  HParams hp;
  hp.arch = std::string(arch);
  for (const auto& fd : kU32Fields) read_field(file, arch, fd, hp);
  for (const auto& fd : kF32Fields) read_field(file, arch, fd, hp);
  if (!file.find(full_key(arch, "rope.scaling.factor"))) {
    // The key's older spelling.
    const F32Field legacy{&HParams::rope_scaling_factor, "rope.scale_linear", kOpt, 0.0f, kBig, ""};
    read_field(file, arch, legacy, hp);
  }
  hp.rope_scaling = read_rope_scaling(file, arch);
  if (hp.n_ctx_orig_yarn == 0) hp.n_ctx_orig_yarn = hp.n_ctx_train;
  fill_head_defaults(file, hp);
  fill_vocab(file, hp);
  return hp;
}

std::string describe(const HParams& hp) {
  std::ostringstream os;
  os << "arch = " << hp.arch << "\n";
  auto line = [&](const auto& fd) {
    os << fd.key << " = " << hp.*fd.member << "  (" << fd.doc << ")\n";
  };
  for (const auto& fd : kU32Fields) line(fd);
  for (const auto& fd : kF32Fields) line(fd);
  os << "rope.scaling.type = " << to_string(hp.rope_scaling) << "\n";
  return os.str();
}

}  // namespace hako::model
