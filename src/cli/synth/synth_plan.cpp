// The --type table and the tensor plan of `hako synth`: which tensors a shape
// has (llama.cpp names and shapes per architecture) and which ggml type each
// gets (pure, or llama.cpp's Q4_K_M recipe from llama-quant.cpp).
#include <array>
#include <cctype>

#include "cli/synth/synth_model.h"

namespace hako::synth {
namespace {

// general.file_type values are llama.cpp's llama_ftype.
constexpr std::array<SynthType, 17> kTypes = {{
    {"f32", GgmlType::F32, Mixture::kPure, 0},
    {"f16", GgmlType::F16, Mixture::kPure, 1},
    {"bf16", GgmlType::BF16, Mixture::kPure, 32},
    {"q8_0", GgmlType::Q8_0, Mixture::kPure, 7},
    {"q4_0", GgmlType::Q4_0, Mixture::kPure, 2},
    {"q4_1", GgmlType::Q4_1, Mixture::kPure, 3},
    {"q5_0", GgmlType::Q5_0, Mixture::kPure, 8},
    {"q5_1", GgmlType::Q5_1, Mixture::kPure, 9},
    {"q4_K_M", GgmlType::Q4_K, Mixture::kQ4KM, 15},
    {"q2_K", GgmlType::Q2_K, Mixture::kPure, 10},
    {"q3_K", GgmlType::Q3_K, Mixture::kPure, 11},
    {"q4_K", GgmlType::Q4_K, Mixture::kPure, 14},
    {"q5_K", GgmlType::Q5_K, Mixture::kPure, 16},
    {"q6_K", GgmlType::Q6_K, Mixture::kPure, 18},
    {"iq4_nl", GgmlType::IQ4_NL, Mixture::kPure, 25},
    {"iq4_xs", GgmlType::IQ4_XS, Mixture::kPure, 30},
    {"mxfp4", GgmlType::MXFP4, Mixture::kPure, 38},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// llama-quant.cpp's use_more_bits: the first and last eighth of the layers
// and every third layer in between get more bits.
bool use_more_bits(int i_layer, int n_layer) {
  return i_layer < n_layer / 8 || i_layer >= 7 * n_layer / 8 || (i_layer - n_layer / 8) % 3 == 2;
}

GgmlType chosen_type(const PlannedTensor& t, const ModelShape& shape, const SynthType& st) {
  switch (t.role) {
    case TensorRole::kNorm:
    case TensorRole::kRopeFreqs:
    case TensorRole::kRopeLong:
    case TensorRole::kRopeShort:
      return GgmlType::F32;
    default:
      break;
  }
  if (st.mixture == Mixture::kPure) return st.base;
  const int n_layer = static_cast<int>(shape.n_layer);
  const bool is_output = t.role == TensorRole::kOutput ||
                         (t.role == TensorRole::kTokenEmbd && shape.embeddings == Embeddings::kTied);
  if (is_output) return GgmlType::Q6_K;
  switch (t.role) {
    case TensorRole::kAttnV:
    case TensorRole::kFfnDown:
      return use_more_bits(t.layer, n_layer) ? GgmlType::Q6_K : GgmlType::Q4_K;
    case TensorRole::kAttnQkv:
      return GgmlType::Q5_K;
    default:
      return GgmlType::Q4_K;
  }
}

// Rows that do not split into whole blocks fall back like llama-quantize.
GgmlType fit_block(GgmlType t, int64_t ne0) {
  if (ne0 % type_info(t).block_size == 0) return t;
  if (ne0 % type_info(GgmlType::Q8_0).block_size == 0) return GgmlType::Q8_0;
  return GgmlType::F16;
}

class Planner {
 public:
  Planner(const ModelShape& s, const SynthType& t) : s_(s), t_(t) {}

  void add(std::string name, TensorRole role, int layer, std::vector<int64_t> ne) {
    PlannedTensor p{std::move(name), role, layer, std::move(ne), GgmlType::F32};
    p.type = fit_block(chosen_type(p, s_, t_), p.ne[0]);
    plan_.push_back(std::move(p));
  }
  void add_layer(int il) {
    const std::string b = "blk." + std::to_string(il) + ".";
    const int64_t n_embd = s_.n_embd, hd = s_.head_dim;
    const int64_t n_q = hd * s_.n_head, n_kv = hd * s_.n_head_kv, n_ff = s_.n_ff;
    add(b + "attn_norm.weight", TensorRole::kNorm, il, {n_embd});
    if (s_.arch == SynthArch::kPhi3) {
      add(b + "attn_qkv.weight", TensorRole::kAttnQkv, il, {n_embd, n_q + 2 * n_kv});
    } else {
      add(b + "attn_q.weight", TensorRole::kAttnQ, il, {n_embd, n_q});
      add(b + "attn_k.weight", TensorRole::kAttnK, il, {n_embd, n_kv});
      add(b + "attn_v.weight", TensorRole::kAttnV, il, {n_embd, n_kv});
    }
    add(b + "attn_output.weight", TensorRole::kAttnOut, il, {n_q, n_embd});
    if (s_.arch == SynthArch::kQwen3) {
      add(b + "attn_q_norm.weight", TensorRole::kNorm, il, {hd});
      add(b + "attn_k_norm.weight", TensorRole::kNorm, il, {hd});
    }
    add(b + "ffn_norm.weight", TensorRole::kNorm, il, {n_embd});
    if (s_.arch == SynthArch::kPhi3) {
      add(b + "ffn_up.weight", TensorRole::kFfnUp, il, {n_embd, 2 * n_ff});  // gate and up fused
    } else {
      add(b + "ffn_gate.weight", TensorRole::kFfnGate, il, {n_embd, n_ff});
      add(b + "ffn_up.weight", TensorRole::kFfnUp, il, {n_embd, n_ff});
    }
    add(b + "ffn_down.weight", TensorRole::kFfnDown, il, {n_ff, n_embd});
  }
  std::vector<PlannedTensor> take() { return std::move(plan_); }

 private:
  const ModelShape& s_;
  const SynthType& t_;
  std::vector<PlannedTensor> plan_;
};

}  // namespace

std::vector<std::string_view> synth_type_names() {
  std::vector<std::string_view> out;
  for (const SynthType& t : kTypes) out.push_back(t.name);
  return out;
}

std::optional<SynthType> parse_synth_type(std::string_view name) {
  for (const SynthType& t : kTypes) {
    if (iequals(t.name, name)) return t;
  }
  return std::nullopt;
}

std::vector<PlannedTensor> plan_tensors(const ModelShape& s, const SynthType& type) {
  Planner p(s, type);
  const int64_t n_embd = s.n_embd, n_vocab = s.n_vocab;
  p.add("token_embd.weight", TensorRole::kTokenEmbd, -1, {n_embd, n_vocab});
  if (s.llama3_rope.factor > 0.0f) {
    p.add("rope_freqs.weight", TensorRole::kRopeFreqs, -1, {static_cast<int64_t>(s.n_rot / 2)});
  }
  for (uint32_t il = 0; il < s.n_layer; ++il) p.add_layer(static_cast<int>(il));
  p.add("output_norm.weight", TensorRole::kNorm, -1, {n_embd});
  if (s.embeddings == Embeddings::kSeparate) {
    p.add("output.weight", TensorRole::kOutput, -1, {n_embd, n_vocab});
  }
  if (s.long_rope.original_context > 0) {
    p.add("rope_factors_long.weight", TensorRole::kRopeLong, -1, {static_cast<int64_t>(s.n_rot / 2)});
    p.add("rope_factors_short.weight", TensorRole::kRopeShort, -1, {static_cast<int64_t>(s.n_rot / 2)});
  }
  return p.take();
}

uint64_t count_params(const std::vector<PlannedTensor>& plan) {
  uint64_t n = 0;
  for (const PlannedTensor& t : plan) {
    if (t.role == TensorRole::kRopeFreqs || t.role == TensorRole::kRopeLong ||
        t.role == TensorRole::kRopeShort) {
      continue;
    }
    uint64_t e = 1;
    for (int64_t d : t.ne) e *= static_cast<uint64_t>(d);
    n += e;
  }
  return n;
}

}  // namespace hako::synth
