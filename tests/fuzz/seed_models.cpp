// fuzz_seed_models: writes tiny GGUF models for the model and GGUF fuzzers'
// seed corpora. The reference models in ../shared/testdata are ~1 MB, most of
// it weights, so a fuzzer mutating them spends its time on weight bytes and
// runs a few dozen inputs a second. This shrinks each one to a few KB with the
// same architecture, metadata keys and tensor set: one layer, a 32-token
// vocabulary, every other width divided by 2 (4 when all tensors are plain
// floats), so the header — where the hyper-parameters and tensor table live —
// is most of the file. Widths stay consistent because every tensor dimension
// is linear in the widths. Weights are small deterministic values (floats) or
// zero blocks (quantized types). Not a fuzzer itself and not a test: its
// output only has to be well-formed; the fuzzers find out whether it loads.
//   usage: fuzz_seed_models TESTDATA_DIR OUT_DIR
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "tensor/ggml_type.h"

namespace {

using hako::GgmlType;
using hako::gguf::GgufFile;
using hako::gguf::GgufWriter;

constexpr uint32_t kTinyVocab = 32;
constexpr const char* kSources[] = {"llama", "llama-Q8_0", "llama-Q4_0", "llama-Q6_K",
                                    "qwen3", "qwen3-Q8_0", "phi3",       "phi3-Q6_K"};

struct Shrink {
  int64_t div = 2;
  int64_t n_vocab = 0;  // of the source file
};

int64_t shrink_dim(int64_t ne, const Shrink& s) {
  return ne == s.n_vocab ? kTinyVocab : std::max<int64_t>(ne / s.div, 1);
}

// Layer index of "blk.<il>.<...>", or -1.
int layer_of(std::string_view name) {
  if (name.substr(0, 4) != "blk.") return -1;
  return std::atoi(std::string(name.substr(4)).c_str());
}

void copy_metadata(const GgufFile& src, const Shrink& s, GgufWriter& w) {
  const std::string arch = src.architecture();
  const auto scaled = [&](std::string_view key) {
    for (const char* k : {".embedding_length", ".feed_forward_length", ".attention.key_length",
                          ".attention.value_length", ".rope.dimension_count"}) {
      if (key == arch + k) return true;
    }
    return false;
  };
  for (const auto& [key, value] : src.metadata()) {
    if (key.substr(0, 10) == "tokenizer.") continue;
    if (scaled(key)) {
      w.set_u32(key, static_cast<uint32_t>(*value.to_uint() / static_cast<uint64_t>(s.div)));
    } else if (key == arch + ".block_count") {
      w.set_u32(key, 1);
    } else if (key == arch + ".vocab_size") {
      w.set_u32(key, kTinyVocab);
    } else if (key == arch + ".context_length") {
      w.set_u32(key, 64);
    } else {
      w.set_value(key, value);
    }
  }
  std::vector<std::string> tokens;
  for (uint32_t i = 0; i < kTinyVocab; ++i) tokens.push_back("t" + std::to_string(i));
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_string_array("tokenizer.ggml.tokens", tokens);
}

void write_tiny(const std::string& src_path, const std::string& out_path) {
  const GgufFile src = GgufFile::open_or_throw(src_path);
  Shrink s;
  const auto* tokens = src.get_array("tokenizer.ggml.tokens");
  s.n_vocab = src.get_u32(src.architecture() + ".vocab_size")
                  .value_or(tokens ? static_cast<uint32_t>(tokens->array_size()) : 0);
  bool plain = true;
  for (const auto& t : src.tensors()) plain = plain && hako::type_info(t.type).block_size == 1;
  s.div = plain ? 4 : 2;

  GgufWriter w;
  copy_metadata(src, s, w);
  std::vector<std::vector<uint8_t>> keep;
  keep.reserve(src.tensors().size());
  for (const auto& t : src.tensors()) {
    if (layer_of(t.name) > 0) continue;
    hako::gguf::TensorSpec spec{std::string(t.name), t.type, {}};
    for (int d = 0; d < t.n_dims; ++d) spec.ne.push_back(shrink_dim(t.ne[static_cast<size_t>(d)], s));
    const uint32_t bs = hako::type_info(spec.type).block_size;
    if (spec.ne[0] % bs != 0) spec.type = spec.ne[0] % 32 == 0 ? GgmlType::Q8_0 : GgmlType::F32;
    uint64_t n = 1;
    for (int64_t ne : spec.ne) n *= static_cast<uint64_t>(ne);
    std::vector<uint8_t> data(hako::row_bytes(spec.type, spec.ne[0]) * (n / static_cast<uint64_t>(spec.ne[0])), 0);
    if (spec.type == GgmlType::F32) {
      for (size_t i = 0; i < data.size() / 4; ++i) {
        const float v = spec.ne.size() == 1 ? 1.0f : 0.05f * std::sin(static_cast<float>(i));
        std::memcpy(&data[i * 4], &v, 4);
      }
    }
    keep.push_back(std::move(data));
    w.add_tensor(spec, keep.back());
  }
  w.write_or_throw(out_path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fuzz_seed_models TESTDATA_DIR OUT_DIR\n");
    return 2;
  }
  int n = 0;
  for (const char* name : kSources) {
    const std::string src = std::string(argv[1]) + "/reference/" + name + "/model.gguf";
    const std::string out = std::string(argv[2]) + "/tiny-" + name + ".gguf";
    try {
      write_tiny(src, out);
      ++n;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_seed_models: skipped %s: %s\n", name, e.what());
    }
  }
  std::printf("fuzz_seed_models: wrote %d tiny models to %s\n", n, argv[2]);
  return n > 0 ? 0 : 1;
}
