// Writing a synthetic model: metadata as llama.cpp's converter writes it, and
// tensor generators that fill rows from a per-row seeded PRNG and quantize
// them on all cores.
#include "cli/synth/synth_model.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <thread>

#include "base/error.h"
#include "cli/synth/synth_vocab.h"
#include "cli/synth/synth_weights.h"
#include "gguf/gguf_writer.h"
#include "quant/traits.h"

namespace hako::synth {
namespace {

constexpr float kWeightStd = 0.02f;
constexpr float kNormSpread = 0.1f;  // norm weights are uniform in 1 +- this

// Llama 3 rope frequency factors (convert_hf_to_gguf.py's generate_extra_tensors).
std::vector<float> llama3_rope_factors(const ModelShape& s) {
  const Llama3Rope& r = s.llama3_rope;
  const double low_wavelen = r.original_context / r.low_freq_factor;
  const double high_wavelen = r.original_context / r.high_freq_factor;
  std::vector<float> out;
  for (uint32_t i = 0; i < s.n_rot; i += 2) {
    const double freq = 1.0 / std::pow(static_cast<double>(s.rope_theta), static_cast<double>(i) / s.n_rot);
    const double wavelen = 2.0 * std::numbers::pi / freq;
    if (wavelen < high_wavelen) {
      out.push_back(1.0f);
    } else if (wavelen > low_wavelen) {
      out.push_back(r.factor);
    } else {
      const double smooth = (r.original_context / wavelen - r.low_freq_factor) /
                            (r.high_freq_factor - r.low_freq_factor);
      out.push_back(static_cast<float>(1.0 / ((1.0 - smooth) / r.factor + smooth)));
    }
  }
  return out;
}

// Values of the small f32 tensors that are not random weights; empty for the rest.
std::vector<float> fixed_values(const PlannedTensor& t, const ModelShape& s) {
  const auto n = static_cast<size_t>(t.ne[0]);
  switch (t.role) {
    case TensorRole::kRopeFreqs: return llama3_rope_factors(s);
    case TensorRole::kRopeShort: return std::vector<float>(n, 1.0f);
    case TensorRole::kRopeLong: {
      std::vector<float> v(n);
      for (size_t i = 0; i < n; ++i)
        v[i] = 1.0f + (s.long_rope.long_factor_max - 1.0f) * static_cast<float>(i) / static_cast<float>(n > 1 ? n - 1 : 1);
      return v;
    }
    default: return {};
  }
}

void write_hparams(gguf::GgufWriter& w, const ModelShape& s, const SynthType& type) {
  const std::string a(arch_name(s.arch));
  w.set_string("general.architecture", a);
  w.set_string("general.type", "model");
  w.set_string("general.name", std::string(s.hf_name) + " (hako synth, random weights)");
  w.set_u32(a + ".context_length", s.n_ctx);
  w.set_u32(a + ".embedding_length", s.n_embd);
  w.set_u32(a + ".block_count", s.n_layer);
  w.set_u32(a + ".feed_forward_length", s.n_ff);
  w.set_u32(a + ".attention.head_count", s.n_head);
  w.set_u32(a + ".attention.head_count_kv", s.n_head_kv);
  w.set_u32(a + ".attention.key_length", s.head_dim);
  w.set_u32(a + ".attention.value_length", s.head_dim);
  w.set_f32(a + ".attention.layer_norm_rms_epsilon", s.rms_eps);
  w.set_f32(a + ".rope.freq_base", s.rope_theta);
  w.set_u32(a + ".rope.dimension_count", s.n_rot);
  w.set_u32(a + ".vocab_size", s.n_vocab);
  if (s.long_rope.original_context > 0) {
    const double scale = static_cast<double>(s.n_ctx) / s.long_rope.original_context;
    w.set_u32(a + ".rope.scaling.original_context_length", s.long_rope.original_context);
    w.set_f32(a + ".rope.scaling.attn_factor",
              static_cast<float>(std::sqrt(1.0 + std::log(scale) / std::log(s.long_rope.original_context))));
  }
  if (s.sliding_window > 0) w.set_u32(a + ".attention.sliding_window", s.sliding_window);
  w.set_u32("general.file_type", type.file_type);
}

void require_quantizers(const std::vector<PlannedTensor>& plan) {
  for (const PlannedTensor& t : plan) {
    if (t.type != GgmlType::F32 && !has_quant_traits(t.type)) {
      throw Error(ErrorKind::kUnsupported, "synth: tensor '" + t.name + "' needs type " +
                                               std::string(to_string(t.type)) +
                                               ", which has no reference quantizer in this build");
    }
  }
}

}  // namespace

SynthResult write_synth_model(const ModelShape& shape, const SynthOptions& opt) {
  const std::vector<PlannedTensor> plan = plan_tensors(shape, opt.type);
  require_quantizers(plan);
  const int n_threads = opt.n_threads > 0 ? opt.n_threads
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  gguf::GgufWriter w;
  write_hparams(w, shape, opt.type);
  const bool quantized = std::any_of(plan.begin(), plan.end(),
                                     [](const PlannedTensor& t) { return type_info(t.type).quantized; });
  if (quantized) w.set_u32("general.quantization_version", 2);
  write_vocab_metadata(w, build_bpe_vocab(shape.n_vocab, *shape.vocab), *shape.vocab);

  WeightSource source(opt.seed, n_threads);  // used by the generators during the write
  for (size_t i = 0; i < plan.size(); ++i) {
    const PlannedTensor& t = plan[i];
    std::vector<float> fixed = fixed_values(t, shape);
    gguf::TensorGenerator gen;
    if (!fixed.empty()) {
      gen = [values = std::move(fixed)](uint8_t* dst, uint64_t n_bytes) {
        std::memcpy(dst, values.data(), n_bytes);
      };
    } else {
      const bool norm = t.role == TensorRole::kNorm;
      const float half = norm ? kNormSpread : kWeightStd * std::sqrt(3.0f);  // uniform std = half/sqrt(3)
      uint64_t n_rows = 1;
      for (size_t d = 1; d < t.ne.size(); ++d) n_rows *= static_cast<uint64_t>(t.ne[d]);
      const RowSpec spec{.type = t.type, .ne0 = t.ne[0], .n_rows = n_rows,
                         .seed = mix_seed(opt.seed, i, 0x726f7773u),
                         .lo = norm ? 1.0f - half : -half, .hi = norm ? 1.0f + half : half};
      gen = [spec, &source](uint8_t* dst, uint64_t) { source.fill(spec, dst); };
    }
    w.add_tensor({t.name, t.type, t.ne}, std::move(gen));
  }
  w.write_or_throw(opt.path);
  return SynthResult{plan.size(), count_params(plan), w.tensor_bytes()};
}

}  // namespace hako::synth
