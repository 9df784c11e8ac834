// GgufWriter: builds a GGUF v3 file (metadata of every value type, tensors
// from byte spans or from generator callbacks) and writes it atomically:
// everything goes to `<path>.tmp`, which is renamed over `path` only after a
// complete, flushed write; on any failure the temporary file is removed and
// nothing half-written is left. Tensor data is streamed one tensor at a time,
// so multi-GB files need only one tensor's bytes in memory. This is the
// writer only; reading back is gguf_file.h.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gguf/gguf_value.h"
#include "tensor/ggml_type.h"

namespace hako::gguf {

// llama.cpp (ggml) rejects tensor names of 64 bytes or more.
inline constexpr size_t kMaxTensorNameBytes = 63;

// Fills dst[0, n_bytes) with one tensor's data (ggml layout). Called once per
// tensor, in file order, from write_or_throw's thread; it may use threads
// itself and may throw (the write is then abandoned and the .tmp removed).
using TensorGenerator = std::function<void(uint8_t* dst, uint64_t n_bytes)>;

struct TensorSpec {
  std::string name;          // unique, 1..63 bytes
  GgmlType type = GgmlType::F32;
  std::vector<int64_t> ne;   // 1..4 dims, ggml order (ne[0] innermost, multiple of block size)
};

class GgufWriter {
 public:
  // Metadata setters. Keys keep their first insertion order; setting a key
  // again replaces its value in place.
  void set_u8(std::string_view key, uint8_t v);
  void set_i8(std::string_view key, int8_t v);
  void set_u16(std::string_view key, uint16_t v);
  void set_i16(std::string_view key, int16_t v);
  void set_u32(std::string_view key, uint32_t v);
  void set_i32(std::string_view key, int32_t v);
  void set_u64(std::string_view key, uint64_t v);
  void set_i64(std::string_view key, int64_t v);
  void set_f32(std::string_view key, float v);
  void set_f64(std::string_view key, double v);
  void set_bool(std::string_view key, bool v);
  void set_string(std::string_view key, std::string_view v);
  void set_string_array(std::string_view key, std::span<const std::string> v);
  void set_string_array(std::string_view key, std::span<const std::string_view> v);
  void set_i32_array(std::string_view key, std::span<const int32_t> v);
  void set_f32_array(std::string_view key, std::span<const float> v);
  // Any fixed-size element type: `count` elements of value_type_size(elem)
  // bytes each, little-endian, copied from `data`.
  void set_numeric_array(std::string_view key, ValueType elem, const void* data, uint64_t count);
  // A copy of a value read by GgufFile (any type, nested arrays included).
  void set_value(std::string_view key, const Value& v);
  // Removes a key; returns whether it was present.
  bool remove(std::string_view key);
  bool has(std::string_view key) const { return index_.count(std::string(key)) != 0; }
  size_t n_metadata() const { return kv_.size(); }

  // Adds a tensor whose bytes are `data` (borrowed: must stay alive until
  // write_or_throw returns; size must equal the tensor's storage size).
  // Throws Error(kInvalidArgument) on a bad name, duplicate, shape or size.
  void add_tensor(const TensorSpec& spec, std::span<const uint8_t> data);
  // Adds a tensor whose bytes come from `gen` at write time.
  void add_tensor(const TensorSpec& spec, TensorGenerator gen);
  size_t n_tensors() const { return tensors_.size(); }
  // Storage bytes of all tensors so far (without padding).
  uint64_t tensor_bytes() const;

  // Writes `<path>.tmp` and renames it to `path`. Alignment is
  // general.alignment if set (must be u32, a power of two), else 32.
  // Throws Error(kIo) naming the path on any I/O failure.
  void write_or_throw(const std::string& path) const;

 private:
  struct Entry {
    std::string key;
    std::vector<uint8_t> value;  // u32 type id + encoded value
  };
  struct Tensor {
    TensorSpec spec;
    uint64_t n_bytes;
    std::span<const uint8_t> data;
    TensorGenerator gen;
  };

  void set_encoded(std::string_view key, std::vector<uint8_t> value);
  Tensor& check_and_add(const TensorSpec& spec);
  uint64_t alignment() const;
  std::vector<uint8_t> encode_header(uint64_t alignment) const;

  std::vector<Entry> kv_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<Tensor> tensors_;
  std::unordered_map<std::string, size_t> tensor_index_;
};

}  // namespace hako::gguf
