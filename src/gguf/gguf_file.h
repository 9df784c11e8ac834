// GgufFile: a parsed, fully validated GGUF file (versions 2 and 3, little-
// endian). Opening maps the file read-only and checks every offset, size and
// count before anything is used: a hostile or truncated file gives one
// hako::Error line naming the file and the problem, never a crash, and costs
// memory and time linear in the file size. Metadata values and tensor data are
// views into the mapping (no copies). This is the reader only; the writer is
// gguf_writer.h and dequantization lives in quant/.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/mapped_file.h"
#include "gguf/gguf_value.h"
#include "tensor/ggml_type.h"
#include "tensor/tensor_view.h"

namespace hako::gguf {

inline constexpr uint32_t kGgufMagic = 0x46554747;  // "GGUF" read as little-endian u32
inline constexpr uint64_t kDefaultAlignment = 32;
inline constexpr int kMaxArrayDepth = 8;            // nesting limit for arrays of arrays

// One tensor's directory entry. name and data point into the file bytes.
struct TensorInfo {
  std::string_view name;
  GgmlType type = GgmlType::F32;
  int n_dims = 0;                               // 1..4
  std::array<int64_t, 4> ne = {1, 1, 1, 1};     // ggml order; unused dims are 1
  uint64_t offset = 0;                          // bytes from the start of the data section
  uint64_t n_bytes = 0;                         // storage size
  const uint8_t* data = nullptr;                // file bytes + data_offset + offset

  int64_t n_elements() const { return ne[0] * ne[1] * ne[2] * ne[3]; }
  TensorView view() const;
};

class GgufFile {
 public:
  // Maps `path` and parses it. Throws Error(kIo) if unreadable, Error(kFormat /
  // kUnsupported / kLimit) with "<path>: <problem>" if malformed.
  static GgufFile open_or_throw(const std::string& path);
  // Parses borrowed bytes (must outlive the result); display_name prefixes errors.
  static GgufFile parse_or_throw(const uint8_t* data, size_t size, std::string display_name);

  GgufFile(GgufFile&&) noexcept = default;
  GgufFile& operator=(GgufFile&&) noexcept = default;
  GgufFile(const GgufFile&) = delete;
  GgufFile& operator=(const GgufFile&) = delete;

  uint32_t version() const { return version_; }
  uint64_t alignment() const { return alignment_; }
  // Start of the tensor data section (header end rounded up to alignment).
  uint64_t data_offset() const { return data_offset_; }
  size_t file_size() const { return size_; }
  const uint8_t* bytes() const { return data_; }
  // The path given to open_or_throw, or parse_or_throw's display_name.
  const std::string& path() const { return path_; }
  // Releases the mapped pages wholly inside [p, p+len) (MappedFile::release)
  // when the file was mapped by open_or_throw; nothing for borrowed bytes.
  void release(const void* p, size_t len) const;

  // All key/value pairs in file order. Keys point into the file bytes.
  const std::vector<std::pair<std::string_view, Value>>& metadata() const { return kv_; }
  // nullptr if absent. O(1) average.
  const Value* find(std::string_view key) const;

  // Typed getters: nullopt if the key is absent. Throw Error(kFormat)
  // "<file>: metadata 'k' is <type>, expected <...>" if the value has another
  // type or does not fit (integers of any width convert when in range;
  // get_f32 accepts f32, f64 and integers).
  std::optional<uint32_t> get_u32(std::string_view key) const;
  std::optional<uint64_t> get_u64(std::string_view key) const;
  std::optional<int64_t> get_i64(std::string_view key) const;
  std::optional<float> get_f32(std::string_view key) const;
  std::optional<bool> get_bool(std::string_view key) const;
  std::optional<std::string_view> get_string(std::string_view key) const;
  // The array value at key, or nullptr if absent; throws if not an array.
  const Value* get_array(std::string_view key) const;
  // general.architecture; throws Error(kFormat) if missing or not a string.
  std::string architecture() const;

  // Tensors in file order.
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  // nullptr if absent. O(1) average.
  const TensorInfo* find_tensor(std::string_view name) const;

 private:
  friend class detail::Parser;
  GgufFile() = default;

  MappedFile map_;  // empty when parsing borrowed bytes
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
  uint32_t version_ = 0;
  uint64_t alignment_ = kDefaultAlignment;
  uint64_t data_offset_ = 0;
  std::vector<std::pair<std::string_view, Value>> kv_;
  std::unordered_map<std::string_view, size_t> kv_index_;
  std::vector<TensorInfo> tensors_;
  std::unordered_map<std::string_view, size_t> tensor_index_;
};

}  // namespace hako::gguf
