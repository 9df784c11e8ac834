// Hostile model files (see hostile_models.h).
#include "corrupt/hostile_models.h"

#include <cstdio>
#include <stdexcept>
#include <filesystem>
#include <string_view>

#include <unistd.h>

#include "gguf/gguf_byte_builder.h"

namespace hako::test {

void write_llama_variant(const std::string& path, const VariantEdits& edits) {
  write_variant("llama", edits, path);
}

std::string temp_path(const std::string& tag) {
  return (std::filesystem::temp_directory_path() /
          ("hako_" + tag + "_" + std::to_string(::getpid())))
      .string();
}

namespace {

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + path);
  const size_t n = std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  if (n != bytes.size()) throw std::runtime_error("short write to " + path);
}

std::vector<uint8_t> one_tensor(std::vector<int64_t> ne) {
  GgufBytes b;
  b.header(3, 1, 1).kv_str("general.architecture", "llama");
  b.tensor("w", std::move(ne), 0, 0).pad().zeros(64);
  return b.bytes;
}

}  // namespace

std::vector<HostileFile> write_hostile_headers(const std::string& dir) {
  constexpr uint64_t k60 = uint64_t{1} << 60;
  std::vector<std::pair<HostileFile, std::vector<uint8_t>>> files;
  GgufBytes t, k, a, s;
  t.header(3, k60, 0).zeros(64);
  files.push_back({{"n_tensors", "n_tensors 1152921504606846976 is larger than"}, t.bytes});
  k.header(3, 0, k60).zeros(64);
  files.push_back({{"n_kv", "n_kv 1152921504606846976 is larger than"}, k.bytes});
  a.header(3, 0, 1).key("tokenizer.ggml.tokens", 9).u32(8).u64(k60).zeros(64);
  files.push_back({{"array_count", "array count 1152921504606846976 is larger than"}, a.bytes});
  s.header(3, 0, 1).key("general.name", 8).u64(uint64_t{1} << 62).zeros(64);
  files.push_back({{"string_length", "string length 4611686018427387904"}, s.bytes});
  files.push_back({{"huge_tensor", "lies beyond the end of the file"},
                   one_tensor({int64_t{1} << 15, int64_t{1} << 15, int64_t{1} << 15, 1 << 15})});
  files.push_back({{"overflowing_shape", "element count overflows"},
                   one_tensor({int64_t{1} << 32, int64_t{1} << 32})});
  std::vector<HostileFile> out;
  for (auto& [info, bytes] : files) {
    write_bytes(dir + "/" + info.name + ".gguf", bytes);
    out.push_back(info);
  }
  return out;
}

std::vector<HostileFile> write_hostile_hparams(const std::string& dir) {
  struct Case {
    HostileFile info;
    const char* key;
    uint32_t value;
  };
  const Case cases[] = {
      {{"vocab_4m", "tensor 'token_embd.weight' has the wrong shape: expected [64, 4194304]"},
       "llama.vocab_size", 1u << 22},
      {{"layers_1024", "missing tensor 'blk.2.attn_norm.weight'"}, "llama.block_count", 1024},
      {{"ff_1m", "tensor 'blk.0.ffn_gate.weight' has the wrong shape: expected [64, 1048576]"},
       "llama.feed_forward_length", 1u << 20},
  };
  std::vector<HostileFile> out;
  for (const Case& c : cases) {
    write_llama_variant(dir + "/" + c.info.name + ".gguf",
                        {.meta = [&](gguf::GgufWriter& w) { w.set_u32(c.key, c.value); }});
    out.push_back(c.info);
  }
  // A 65536-wide residual stream with 64 heads of width 1024.
  write_llama_variant(dir + "/embd_65536.gguf", {.meta = [](gguf::GgufWriter& w) {
                        w.set_u32("llama.embedding_length", 65536);
                        w.set_u32("llama.attention.head_count", 64);
                        w.set_u32("llama.rope.dimension_count", 1024);
                      }});
  out.push_back({"embd_65536", "tensor 'token_embd.weight' has the wrong shape: expected [65536, 1024]"});
  // 4096 heads of width 64: the widest attention hako accepts (2^18).
  write_llama_variant(dir + "/heads_4096.gguf", {.meta = [](gguf::GgufWriter& w) {
                        w.set_u32("llama.attention.head_count", 4096);
                        w.set_u32("llama.attention.head_count_kv", 4096);
                        w.set_u32("llama.attention.key_length", 64);
                        w.set_u32("llama.attention.value_length", 64);
                        w.set_u32("llama.rope.dimension_count", 64);
                      }});
  out.push_back({"heads_4096", "tensor 'blk.0.attn_q.weight' has the wrong shape: expected [64, 262144]"});
  return out;
}

}  // namespace hako::test
