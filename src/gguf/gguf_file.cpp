// GgufFile: opening (mmap + parse), lookups and the typed metadata getters.
// Parsing itself is in gguf_parser.cpp.
#include "gguf/gguf_file.h"

#include <limits>

#include "base/error.h"
#include "gguf/gguf_parser.h"

namespace hako::gguf {
namespace {

[[noreturn]] void wrong_type(const GgufFile& f, std::string_view key, const Value& v,
                             std::string_view expected) {
  throw Error(ErrorKind::kFormat, f.path() + ": metadata '" + detail::shown(key) + "' is " +
                                      std::string(to_string(v.type())) + " " + v.summarize(4) +
                                      ", expected " + std::string(expected));
}

}  // namespace

TensorView TensorInfo::view() const {
  TensorView v;
  v.type = type;
  v.ne = ne;
  v.n_dims = n_dims;
  v.data = data;
  v.name = name;
  return v;
}

GgufFile GgufFile::open_or_throw(const std::string& path) {
  MappedFile map = MappedFile::open_or_throw(path);
  const uint8_t* data = map.data();
  const size_t size = map.size();
  GgufFile f = parse_or_throw(data, size, path);
  f.map_ = std::move(map);  // the mapping's address does not change on move
  return f;
}

GgufFile GgufFile::parse_or_throw(const uint8_t* data, size_t size, std::string display_name) {
  GgufFile f;
  f.data_ = data;
  f.size_ = size;
  f.path_ = std::move(display_name);
  detail::Parser parser(data, size, f.path_);
  parser.parse_into(f);
  return f;
}

void GgufFile::release(const void* p, size_t len) const {
  const auto* b = static_cast<const uint8_t*>(p);
  if (map_.data() == nullptr || b < map_.data() || b > map_.data() + map_.size()) return;
  map_.release(static_cast<size_t>(b - map_.data()), len);
}

const Value* GgufFile::find(std::string_view key) const {
  const auto it = kv_index_.find(key);
  return it == kv_index_.end() ? nullptr : &kv_[it->second].second;
}

const TensorInfo* GgufFile::find_tensor(std::string_view name) const {
  const auto it = tensor_index_.find(name);
  return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

std::optional<uint32_t> GgufFile::get_u32(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  const auto u = v->to_uint();
  if (!u || *u > std::numeric_limits<uint32_t>::max()) wrong_type(*this, key, *v, "an integer in 0..2^32-1");
  return static_cast<uint32_t>(*u);
}

std::optional<uint64_t> GgufFile::get_u64(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  const auto u = v->to_uint();
  if (!u) wrong_type(*this, key, *v, "a non-negative integer");
  return *u;
}

std::optional<int64_t> GgufFile::get_i64(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  const auto i = v->to_int();
  if (!i) wrong_type(*this, key, *v, "an integer in the i64 range");
  return *i;
}

std::optional<float> GgufFile::get_f32(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  const auto d = v->to_float();
  if (!d) wrong_type(*this, key, *v, "a number");
  return static_cast<float>(*d);
}

std::optional<bool> GgufFile::get_bool(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  const auto b = v->to_bool();
  if (!b) wrong_type(*this, key, *v, "bool");
  return *b;
}

std::optional<std::string_view> GgufFile::get_string(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return std::nullopt;
  const auto s = v->to_string();
  if (!s) wrong_type(*this, key, *v, "string");
  return *s;
}

const Value* GgufFile::get_array(std::string_view key) const {
  const Value* v = find(key);
  if (v && v->type() != ValueType::kArray) wrong_type(*this, key, *v, "array");
  return v;
}

std::string GgufFile::architecture() const {
  const auto a = get_string("general.architecture");
  if (!a) throw Error(ErrorKind::kFormat, path_ + ": metadata 'general.architecture' is missing");
  return std::string(*a);
}

}  // namespace hako::gguf
