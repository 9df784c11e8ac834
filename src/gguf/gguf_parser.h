// Internal to hako_gguf: the bounds-checked GGUF parser that fills a GgufFile.
// Every read goes through a cursor that knows the remaining bytes; every
// count is compared with what the remaining bytes could hold before anything
// is allocated, so parsing is linear in the file size in both time and memory.
// Not a public header: use GgufFile::open_or_throw / parse_or_throw.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "base/error.h"
#include "gguf/gguf_file.h"

namespace hako::gguf::detail {

// Upper bound on Values created for arrays of arrays in one file (real files
// have none; this keeps a hostile nest of empty arrays from costing ~7x the
// file size in memory).
inline constexpr uint64_t kMaxNestedValues = uint64_t{1} << 20;

class Parser {
 public:
  Parser(const uint8_t* data, size_t size, const std::string& name)
      : data_(data), size_(size), name_(name) {}

  // Parses and validates the whole file into f (whose data_/size_/path_ are set).
  void parse_into(GgufFile& f);

 private:
  [[noreturn]] void fail(ErrorKind kind, const std::string& what) const;
  [[noreturn]] void truncated(const char* field) const;

  size_t remaining() const { return size_ - pos_; }

  template <class T>
  T read(const char* field) {
    if (remaining() < sizeof(T)) truncated(field);
    T v;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string_view read_string(const char* field);
  // Validates that `count` items of at least `min_item_bytes` each could fit.
  void check_count(uint64_t count, uint64_t min_item_bytes, const char* what) const;

  void parse_header(GgufFile& f, uint64_t* n_tensors, uint64_t* n_kv);
  void parse_metadata(GgufFile& f, uint64_t n_kv);
  void parse_value(Value& v, ValueType type, int depth);
  void parse_array(Value& v, int depth);
  void read_alignment(GgufFile& f);
  void parse_tensor_infos(GgufFile& f, uint64_t n_tensors);
  void parse_tensor_shape(TensorInfo& t);
  void place_tensors(GgufFile& f);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  const std::string& name_;
  std::string ctx_;             // "metadata 'key' ", "tensor 'name' ": prefixes field names
  uint64_t nested_values_ = 0;  // Values created for arrays of arrays so far
};

// A name from the file made safe for a one-line message: control bytes
// escaped, cut to 80 bytes.
std::string shown(std::string_view s);

}  // namespace hako::gguf::detail
