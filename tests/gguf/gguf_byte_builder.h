// GgufBytes: a tiny little-endian byte builder for hand-made GGUF files in
// tests (valid ones, and corrupt ones with one field wrong). It knows the
// GGUF encoding of each primitive but checks nothing: tests use it precisely
// to write what the real writer (src/gguf/gguf_writer.h) never would.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hako::test {

class GgufBytes {
 public:
  std::vector<uint8_t> bytes;

  template <class T>
  GgufBytes& put(T v) {
    const size_t at = bytes.size();
    bytes.resize(at + sizeof(T));
    std::memcpy(bytes.data() + at, &v, sizeof(T));
    return *this;
  }
  GgufBytes& u8(uint8_t v) { return put(v); }
  GgufBytes& u32(uint32_t v) { return put(v); }
  GgufBytes& u64(uint64_t v) { return put(v); }
  GgufBytes& i64(int64_t v) { return put(v); }
  GgufBytes& f32(float v) { return put(v); }
  GgufBytes& str(std::string_view s) {
    u64(s.size());
    bytes.insert(bytes.end(), s.begin(), s.end());
    return *this;
  }
  // "GGUF", version, n_tensors, n_kv.
  GgufBytes& header(uint32_t version, uint64_t n_tensors, uint64_t n_kv) {
    bytes.insert(bytes.end(), {'G', 'G', 'U', 'F'});
    return u32(version).u64(n_tensors).u64(n_kv);
  }
  // key + type id (the value follows, written by the caller).
  GgufBytes& key(std::string_view k, uint32_t type) { return str(k).u32(type); }
  GgufBytes& kv_u32(std::string_view k, uint32_t v) { return key(k, 4).u32(v); }
  GgufBytes& kv_str(std::string_view k, std::string_view v) { return key(k, 8).str(v); }
  // Tensor info: name, n_dims, ne..., type id, offset.
  GgufBytes& tensor(std::string_view name, std::vector<int64_t> ne, uint32_t type, uint64_t offset) {
    str(name).u32(static_cast<uint32_t>(ne.size()));
    for (int64_t n : ne) i64(n);
    return u32(type).u64(offset);
  }
  // Zero bytes up to the next multiple of `alignment`.
  GgufBytes& pad(size_t alignment = 32) {
    bytes.resize((bytes.size() + alignment - 1) / alignment * alignment, 0);
    return *this;
  }
  GgufBytes& zeros(size_t n) {
    bytes.resize(bytes.size() + n, 0);
    return *this;
  }
  size_t size() const { return bytes.size(); }
};

// A small valid v3 file: 3 kv (architecture, a u32, a string array) and two
// f32 tensors "a" [4] and "b" [8 x 2] with data 0.5 * index.
inline std::vector<uint8_t> small_valid_gguf() {
  GgufBytes b;
  b.header(3, 2, 3);
  b.kv_str("general.architecture", "llama");
  b.kv_u32("llama.block_count", 2);
  b.key("tokenizer.ggml.tokens", 9).u32(8).u64(3).str("a").str("bc").str("");
  b.tensor("a", {4}, 0, 0);
  b.tensor("b", {8, 2}, 0, 32);
  b.pad();
  for (int i = 0; i < 4; ++i) b.f32(0.5f * i);
  b.zeros(16);
  for (int i = 0; i < 16; ++i) b.f32(0.5f * i);
  return b.bytes;
}

}  // namespace hako::test
