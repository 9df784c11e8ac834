// Value accessors and the one-line summarizing printer. Array elements are read
// with memcpy because GGUF gives no alignment guarantee inside the metadata.
#include "gguf/gguf_value.h"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "base/error.h"

namespace hako::gguf {
namespace {

struct TypeRow {
  std::string_view name;
  uint32_t size;
  bool integer;
};

constexpr std::array<TypeRow, kValueTypeCount> kTypes = {{
    {"u8", 1, true}, {"i8", 1, true}, {"u16", 2, true}, {"i16", 2, true},
    {"u32", 4, true}, {"i32", 4, true}, {"f32", 4, false}, {"bool", 1, false},
    {"string", 0, false}, {"array", 0, false}, {"u64", 8, true}, {"i64", 8, true},
    {"f64", 8, false},
}};

template <class T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Sign-aware view of raw little-endian bits of an integer type.
struct IntBits {
  bool negative;
  uint64_t magnitude_or_value;  // value if !negative, else the two's-complement int64
};

IntBits int_bits(ValueType t, uint64_t bits) {
  switch (t) {
    case ValueType::kI8: { const auto v = static_cast<int8_t>(bits); return {v < 0, static_cast<uint64_t>(static_cast<int64_t>(v))}; }
    case ValueType::kI16: { const auto v = static_cast<int16_t>(bits); return {v < 0, static_cast<uint64_t>(static_cast<int64_t>(v))}; }
    case ValueType::kI32: { const auto v = static_cast<int32_t>(bits); return {v < 0, static_cast<uint64_t>(static_cast<int64_t>(v))}; }
    case ValueType::kI64: { const auto v = static_cast<int64_t>(bits); return {v < 0, bits}; }
    default: return {false, bits};
  }
}

uint64_t element_bits(ValueType t, const uint8_t* p) {
  switch (value_type_size(t)) {
    case 1: return load<uint8_t>(p);
    case 2: return load<uint16_t>(p);
    case 4: return load<uint32_t>(p);
    default: return load<uint64_t>(p);
  }
}

double bits_to_double(ValueType t, uint64_t bits) {
  if (t == ValueType::kF32) return load<float>(reinterpret_cast<const uint8_t*>(&bits));
  if (t == ValueType::kF64) return load<double>(reinterpret_cast<const uint8_t*>(&bits));
  if (t == ValueType::kBool) return bits ? 1.0 : 0.0;
  const IntBits ib = int_bits(t, bits);
  return ib.negative ? static_cast<double>(static_cast<int64_t>(ib.magnitude_or_value))
                     : static_cast<double>(ib.magnitude_or_value);
}

std::string scalar_text(ValueType t, uint64_t bits) {
  char buf[64];
  if (t == ValueType::kBool) return bits ? "true" : "false";
  if (t == ValueType::kF32 || t == ValueType::kF64) {
    // Shortest text that round-trips; plain digits (500000) for moderate magnitudes.
    const double d = bits_to_double(t, bits);
    const double mag = std::fabs(d);
    const auto fmt = mag >= 1e-4 && mag < 1e15 ? std::chars_format::fixed : std::chars_format::general;
    const auto r = t == ValueType::kF32 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(d), fmt)
                                        : std::to_chars(buf, buf + sizeof buf, d, fmt);
    return std::string(buf, r.ptr);
  }
  const IntBits ib = int_bits(t, bits);
  if (ib.negative)
    std::snprintf(buf, sizeof buf, "%" PRId64, static_cast<int64_t>(ib.magnitude_or_value));
  else
    std::snprintf(buf, sizeof buf, "%" PRIu64, ib.magnitude_or_value);
  return buf;
}

}  // namespace

std::string_view to_string(ValueType t) {
  const auto id = static_cast<uint32_t>(t);
  return value_type_valid(id) ? kTypes[id].name : std::string_view("?");
}
uint32_t value_type_size(ValueType t) {
  const auto id = static_cast<uint32_t>(t);
  return value_type_valid(id) ? kTypes[id].size : 0;
}
bool is_integer(ValueType t) {
  const auto id = static_cast<uint32_t>(t);
  return value_type_valid(id) && kTypes[id].integer;
}

std::optional<int64_t> Value::to_int() const {
  if (!is_integer(type_)) return std::nullopt;
  const IntBits ib = int_bits(type_, bits_);
  if (!ib.negative && ib.magnitude_or_value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(ib.magnitude_or_value);
}
std::optional<uint64_t> Value::to_uint() const {
  if (!is_integer(type_)) return std::nullopt;
  const IntBits ib = int_bits(type_, bits_);
  if (ib.negative) return std::nullopt;
  return ib.magnitude_or_value;
}
std::optional<double> Value::to_float() const {
  if (type_ == ValueType::kF32 || type_ == ValueType::kF64 || is_integer(type_))
    return bits_to_double(type_, bits_);
  return std::nullopt;
}
std::optional<bool> Value::to_bool() const {
  if (type_ != ValueType::kBool) return std::nullopt;
  return bits_ != 0;
}
std::optional<std::string_view> Value::to_string() const {
  if (type_ != ValueType::kString) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(ptr_), size_);
}

ValueType Value::array_type() const {
  HAKO_ASSERT(type_ == ValueType::kArray);
  return array_type_;
}
uint64_t Value::array_size() const {
  HAKO_ASSERT(type_ == ValueType::kArray);
  return size_;
}
std::string_view Value::string_at(uint64_t i) const {
  HAKO_ASSERT(type_ == ValueType::kArray && array_type_ == ValueType::kString && i < size_);
  return strings_[i];
}
int64_t Value::int_at(uint64_t i) const {
  HAKO_ASSERT(type_ == ValueType::kArray && i < size_);
  HAKO_ASSERT(is_integer(array_type_) || array_type_ == ValueType::kBool);
  const uint64_t bits = element_bits(array_type_, ptr_ + i * value_type_size(array_type_));
  return static_cast<int64_t>(int_bits(array_type_, bits).magnitude_or_value);
}
uint64_t Value::uint_at(uint64_t i) const { return static_cast<uint64_t>(int_at(i)); }
double Value::float_at(uint64_t i) const {
  HAKO_ASSERT(type_ == ValueType::kArray && i < size_ && value_type_size(array_type_) != 0);
  const uint64_t bits = element_bits(array_type_, ptr_ + i * value_type_size(array_type_));
  return bits_to_double(array_type_, bits);
}
uint64_t Value::bits_at(uint64_t i) const {
  HAKO_ASSERT(type_ == ValueType::kArray && i < size_ && value_type_size(array_type_) != 0);
  return element_bits(array_type_, ptr_ + i * value_type_size(array_type_));
}
const Value& Value::array_at(uint64_t i) const {
  HAKO_ASSERT(type_ == ValueType::kArray && array_type_ == ValueType::kArray && i < size_);
  return items_[i];
}

std::string quote_for_display(std::string_view s, size_t max_bytes) {
  std::string out = "\"";
  const size_t n = s.size() < max_bytes ? s.size() : max_bytes;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < s.size()) out += "...";
  out += '"';
  return out;
}

std::string Value::summarize(size_t max_items) const {
  if (type_ == ValueType::kString) return quote_for_display(*to_string());
  if (type_ != ValueType::kArray) return scalar_text(type_, bits_);
  std::string out = "[";
  const bool cut = size_ > max_items;
  if (cut) {
    out += std::to_string(size_) + " " + std::string(gguf::to_string(array_type_)) +
           (array_type_ == ValueType::kString ? "s" : "") + ": ";
  }
  const uint64_t n = cut ? max_items : size_;
  for (uint64_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    if (array_type_ == ValueType::kString) {
      out += quote_for_display(strings_[i], 40);
    } else if (array_type_ == ValueType::kArray) {
      out += items_[i].summarize(max_items);
    } else {
      out += scalar_text(array_type_, element_bits(array_type_, ptr_ + i * value_type_size(array_type_)));
    }
  }
  if (cut) out += ", ...";
  out += "]";
  return out;
}

}  // namespace hako::gguf
