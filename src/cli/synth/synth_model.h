// `hako synth`: writes a random-weight GGUF model with the architecture,
// tensor names, shapes, metadata and vocabulary size of a published model
// (synth_shapes.h), in any weight type hako can quantize to. Weights are
// uniform random with std 0.02 (norms near 1); quantized tensors are built
// from random blocks of a per-type pool made by hako_quant's reference
// quantizers (synth_weights.h), so a 1B model takes seconds. The file depends
// only on shape, type and seed, and is streamed through GgufWriter one tensor
// at a time. For benchmarks and loader tests; the model computes nothing
// meaningful.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/synth/synth_shapes.h"
#include "tensor/ggml_type.h"

namespace hako::synth {

enum class Mixture {
  kPure,   // every matrix in `base` (like llama-quantize --pure); 1-D tensors f32
  kQ4KM,   // llama.cpp's Q4_K_M recipe: q4_K, with q6_K/q5_K where it bumps them
};

struct SynthType {
  std::string_view name;  // as given to --type: "q4_K_M", "q8_0"
  GgmlType base;
  Mixture mixture;
  uint32_t file_type;     // general.file_type (llama_ftype)
};

// The --type names accepted, in help order.
std::vector<std::string_view> synth_type_names();
// Case-insensitive; nullopt if unknown.
std::optional<SynthType> parse_synth_type(std::string_view name);

enum class TensorRole {
  kTokenEmbd, kOutput, kNorm, kRopeFreqs, kRopeLong, kRopeShort,
  kAttnQ, kAttnK, kAttnV, kAttnQkv, kAttnOut, kFfnGate, kFfnUp, kFfnDown,
};

struct PlannedTensor {
  std::string name;          // llama.cpp name: "blk.3.attn_v.weight"
  TensorRole role;
  int layer;                 // -1 outside blocks
  std::vector<int64_t> ne;   // ggml order
  GgmlType type;             // after the mixture and block-size fallback
};

// The tensors of `shape` in file order with their types. Matrices whose row
// length is not a multiple of the chosen type's block size fall back to q8_0
// (or f16), as llama-quantize does.
std::vector<PlannedTensor> plan_tensors(const ModelShape& shape, const SynthType& type);
// Sum of elements over tensors, excluding rope factor tensors (the published count).
uint64_t count_params(const std::vector<PlannedTensor>& plan);

struct SynthOptions {
  std::string path;     // output file (written via path.tmp + rename)
  SynthType type;
  uint64_t seed = 1;
  int n_threads = 0;    // 0: all cores
};

struct SynthResult {
  size_t n_tensors = 0;
  uint64_t n_params = 0;
  uint64_t tensor_bytes = 0;
};

// Writes the model. Throws Error(kUnsupported) if a needed type has no
// reference quantizer in this build, Error(kIo) on write failure.
SynthResult write_synth_model(const ModelShape& shape, const SynthOptions& options);

}  // namespace hako::synth
