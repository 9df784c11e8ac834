// A GGUF metadata value (the V of a key/value pair) and the value-type ids.
// Values are views: strings and array elements point into the GGUF file's
// bytes (the mapping owned by GgufFile), so a 150k-entry vocabulary costs one
// string_view per entry and no copies. A Value is only valid while the bytes it
// was parsed from are alive. This file does not parse; gguf_parse.cpp builds
// Values after bounds-checking every byte they refer to.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hako::gguf {

// The GGUF value type ids, as stored in the file.
enum class ValueType : uint32_t {
  kU8 = 0, kI8, kU16, kI16, kU32, kI32, kF32, kBool, kString, kArray, kU64, kI64, kF64
};
inline constexpr uint32_t kValueTypeCount = 13;

// "u8", "i8", ..., "string", "array", "u64", "i64", "f64"; "?" for invalid ids.
std::string_view to_string(ValueType t);
constexpr bool value_type_valid(uint32_t id) { return id < kValueTypeCount; }
// Bytes of one element of a fixed-size type; 0 for string and array.
uint32_t value_type_size(ValueType t);
bool is_integer(ValueType t);

namespace detail {
class Parser;
}

class Value {
 public:
  Value() = default;

  ValueType type() const { return type_; }

  // Scalar conversions. to_int/to_uint accept any integer type whose value is
  // representable (a u64 above INT64_MAX gives nullopt for to_int; a negative
  // value gives nullopt for to_uint). to_float accepts f32, f64 and integers.
  // to_bool accepts bool only; to_string accepts string only.
  std::optional<int64_t> to_int() const;
  std::optional<uint64_t> to_uint() const;
  std::optional<double> to_float() const;
  std::optional<bool> to_bool() const;
  std::optional<std::string_view> to_string() const;

  // Arrays only (HAKO_ASSERT otherwise): element type and count.
  ValueType array_type() const;
  uint64_t array_size() const;
  // Element i (i < array_size(), asserted). string_at: string arrays, O(1).
  // int_at: integer and bool arrays (u64 above INT64_MAX wraps; use uint_at).
  // float_at: any numeric array. array_at: arrays of arrays.
  std::string_view string_at(uint64_t i) const;
  int64_t int_at(uint64_t i) const;
  uint64_t uint_at(uint64_t i) const;
  double float_at(uint64_t i) const;
  // Raw little-endian bits of element i of any fixed-size array, zero-extended.
  uint64_t bits_at(uint64_t i) const;
  const Value& array_at(uint64_t i) const;

  // A one-line human-readable rendering: scalars as values, strings quoted
  // and escaped, arrays with more than max_items elements summarized as
  // `[151936 strings: "!", "\"", ...]`.
  std::string summarize(size_t max_items = 8) const;

 private:
  friend class detail::Parser;

  ValueType type_ = ValueType::kU8;
  ValueType array_type_ = ValueType::kU8;
  uint64_t bits_ = 0;               // scalar: raw little-endian bits, zero-extended
  const uint8_t* ptr_ = nullptr;    // string bytes, or the first element of an array
  uint64_t size_ = 0;               // string length or array element count
  std::vector<std::string_view> strings_;  // string arrays: every element
  std::vector<Value> items_;               // arrays of arrays: every element
};

// Escapes a string for one-line display (quotes, backslash, control bytes as \n, \xNN).
std::string quote_for_display(std::string_view s, size_t max_bytes = 80);

}  // namespace hako::gguf
