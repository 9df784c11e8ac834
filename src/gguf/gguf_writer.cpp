// GgufWriter: metadata encoding, tensor directory, and the atomic streamed
// write (header, then each tensor's bytes padded to the alignment).
#include "gguf/gguf_writer.h"

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/checked.h"
#include "base/error.h"
#include "gguf/gguf_file.h"

namespace hako::gguf {
namespace {

class Encoder {
 public:
  std::vector<uint8_t> out;
  template <class T>
  void put(T v) {
    const size_t at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &v, sizeof(T));
  }
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  void str(std::string_view s) {
    put<uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
};

template <class T>
std::vector<uint8_t> scalar(ValueType t, T v) {
  Encoder e;
  e.put(static_cast<uint32_t>(t));
  e.put(v);
  return std::move(e.out);
}

// Encodes v's payload (without its own type id).
void encode_payload(Encoder& e, const Value& v) {
  switch (v.type()) {
    case ValueType::kString:
      e.str(*v.to_string());
      return;
    case ValueType::kArray: {
      const ValueType et = v.array_type();
      e.put(static_cast<uint32_t>(et));
      e.put<uint64_t>(v.array_size());
      for (uint64_t i = 0; i < v.array_size(); ++i) {
        if (et == ValueType::kString) {
          e.str(v.string_at(i));
        } else if (et == ValueType::kArray) {
          encode_payload(e, v.array_at(i));
        } else {
          const uint64_t bits = v.bits_at(i);
          e.bytes(&bits, value_type_size(et));
        }
      }
      return;
    }
    case ValueType::kF32: e.put(static_cast<float>(*v.to_float())); return;
    case ValueType::kF64: e.put(*v.to_float()); return;
    case ValueType::kBool: e.put<uint8_t>(*v.to_bool() ? 1 : 0); return;
    default: {
      const uint64_t bits = v.to_uint() ? *v.to_uint() : static_cast<uint64_t>(*v.to_int());
      e.bytes(&bits, value_type_size(v.type()));
      return;
    }
  }
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Removes the temporary file unless released (after a successful rename).
class TmpGuard {
 public:
  explicit TmpGuard(std::string path) : path_(std::move(path)) {}
  ~TmpGuard() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  void release() { path_.clear(); }

 private:
  std::string path_;
};

[[noreturn]] void io_error(const std::string& path, const char* what) {
  throw Error(ErrorKind::kIo, "cannot " + std::string(what) + " '" + path + "': " + std::strerror(errno));
}

}  // namespace

void GgufWriter::set_encoded(std::string_view key, std::vector<uint8_t> value) {
  const std::string k(key);
  const auto it = index_.find(k);
  if (it != index_.end()) {
    kv_[it->second].value = std::move(value);
    return;
  }
  index_.emplace(k, kv_.size());
  kv_.push_back(Entry{k, std::move(value)});
}

void GgufWriter::set_u8(std::string_view k, uint8_t v) { set_encoded(k, scalar(ValueType::kU8, v)); }
void GgufWriter::set_i8(std::string_view k, int8_t v) { set_encoded(k, scalar(ValueType::kI8, v)); }
void GgufWriter::set_u16(std::string_view k, uint16_t v) { set_encoded(k, scalar(ValueType::kU16, v)); }
void GgufWriter::set_i16(std::string_view k, int16_t v) { set_encoded(k, scalar(ValueType::kI16, v)); }
void GgufWriter::set_u32(std::string_view k, uint32_t v) { set_encoded(k, scalar(ValueType::kU32, v)); }
void GgufWriter::set_i32(std::string_view k, int32_t v) { set_encoded(k, scalar(ValueType::kI32, v)); }
void GgufWriter::set_u64(std::string_view k, uint64_t v) { set_encoded(k, scalar(ValueType::kU64, v)); }
void GgufWriter::set_i64(std::string_view k, int64_t v) { set_encoded(k, scalar(ValueType::kI64, v)); }
void GgufWriter::set_f32(std::string_view k, float v) { set_encoded(k, scalar(ValueType::kF32, v)); }
void GgufWriter::set_f64(std::string_view k, double v) { set_encoded(k, scalar(ValueType::kF64, v)); }
void GgufWriter::set_bool(std::string_view k, bool v) {
  set_encoded(k, scalar<uint8_t>(ValueType::kBool, v ? 1 : 0));
}

void GgufWriter::set_string(std::string_view k, std::string_view v) {
  Encoder e;
  e.put(static_cast<uint32_t>(ValueType::kString));
  e.str(v);
  set_encoded(k, std::move(e.out));
}

template <class S>
static std::vector<uint8_t> encode_string_array(std::span<const S> v) {
  Encoder e;
  size_t total = 16;
  for (const auto& s : v) total += 8 + s.size();
  e.out.reserve(total);
  e.put(static_cast<uint32_t>(ValueType::kArray));
  e.put(static_cast<uint32_t>(ValueType::kString));
  e.put<uint64_t>(v.size());
  for (const auto& s : v) e.str(s);
  return std::move(e.out);
}

void GgufWriter::set_string_array(std::string_view k, std::span<const std::string> v) {
  set_encoded(k, encode_string_array(v));
}
void GgufWriter::set_string_array(std::string_view k, std::span<const std::string_view> v) {
  set_encoded(k, encode_string_array(v));
}

void GgufWriter::set_numeric_array(std::string_view k, ValueType elem, const void* data,
                                   uint64_t count) {
  const uint32_t size = value_type_size(elem);
  HAKO_ASSERT_MSG(size != 0, "set_numeric_array needs a fixed-size element type");
  Encoder e;
  e.put(static_cast<uint32_t>(ValueType::kArray));
  e.put(static_cast<uint32_t>(elem));
  e.put<uint64_t>(count);
  e.bytes(data, mul_or_throw(count, size, "metadata array '" + std::string(k) + "' size"));
  set_encoded(k, std::move(e.out));
}
void GgufWriter::set_i32_array(std::string_view k, std::span<const int32_t> v) {
  set_numeric_array(k, ValueType::kI32, v.data(), v.size());
}
void GgufWriter::set_f32_array(std::string_view k, std::span<const float> v) {
  set_numeric_array(k, ValueType::kF32, v.data(), v.size());
}

void GgufWriter::set_value(std::string_view k, const Value& v) {
  Encoder e;
  e.put(static_cast<uint32_t>(v.type()));
  encode_payload(e, v);
  set_encoded(k, std::move(e.out));
}

bool GgufWriter::remove(std::string_view key) {
  const auto it = index_.find(std::string(key));
  if (it == index_.end()) return false;
  kv_.erase(kv_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (size_t i = 0; i < kv_.size(); ++i) index_.emplace(kv_[i].key, i);
  return true;
}

GgufWriter::Tensor& GgufWriter::check_and_add(const TensorSpec& spec) {
  const auto bad = [&](const std::string& what) {
    throw Error(ErrorKind::kInvalidArgument, "tensor '" + spec.name + "': " + what);
  };
  if (spec.name.empty() || spec.name.size() > kMaxTensorNameBytes)
    bad("name must be 1.." + std::to_string(kMaxTensorNameBytes) + " bytes");
  if (tensor_index_.count(spec.name)) bad("added twice");
  if (spec.ne.empty() || spec.ne.size() > 4) bad("needs 1..4 dimensions");
  const TypeInfo& ti = type_info(spec.type);
  if (!type_id_valid(static_cast<uint32_t>(spec.type))) bad("has an invalid type id");
  uint64_t rows = 1;
  for (size_t d = 0; d < spec.ne.size(); ++d) {
    if (spec.ne[d] < 0) bad("ne[" + std::to_string(d) + "] is negative");
    if (d > 0) rows = mul_or_throw(rows, static_cast<uint64_t>(spec.ne[d]), spec.name + " rows");
  }
  if (spec.ne[0] % ti.block_size != 0)
    bad("ne[0] = " + std::to_string(spec.ne[0]) + " is not a multiple of the " +
        std::string(ti.name) + " block size " + std::to_string(ti.block_size));
  const uint64_t n_bytes = mul_or_throw(row_bytes(spec.type, static_cast<uint64_t>(spec.ne[0])),
                                        rows, spec.name + " byte size");
  tensor_index_.emplace(spec.name, tensors_.size());
  tensors_.push_back(Tensor{spec, n_bytes, {}, {}});
  return tensors_.back();
}

void GgufWriter::add_tensor(const TensorSpec& spec, std::span<const uint8_t> data) {
  Tensor& t = check_and_add(spec);
  if (data.size() != t.n_bytes) {
    const std::string msg = "tensor '" + spec.name + "': got " + std::to_string(data.size()) +
                            " bytes, its shape and type need " + std::to_string(t.n_bytes);
    tensor_index_.erase(spec.name);
    tensors_.pop_back();
    throw Error(ErrorKind::kInvalidArgument, msg);
  }
  t.data = data;
}

void GgufWriter::add_tensor(const TensorSpec& spec, TensorGenerator gen) {
  check_and_add(spec).gen = std::move(gen);
}

uint64_t GgufWriter::tensor_bytes() const {
  uint64_t total = 0;
  for (const Tensor& t : tensors_) total = add_or_throw(total, t.n_bytes, "total tensor bytes");
  return total;
}

uint64_t GgufWriter::alignment() const {
  const auto it = index_.find("general.alignment");
  if (it == index_.end()) return kDefaultAlignment;
  const std::vector<uint8_t>& v = kv_[it->second].value;
  uint32_t type = 0, al = 0;
  if (v.size() == 8) {
    std::memcpy(&type, v.data(), 4);
    std::memcpy(&al, v.data() + 4, 4);
  }
  if (type != static_cast<uint32_t>(ValueType::kU32) || al == 0 || !std::has_single_bit(al))
    throw Error(ErrorKind::kInvalidArgument, "general.alignment must be a u32 power of two");
  return al;
}

std::vector<uint8_t> GgufWriter::encode_header(uint64_t align) const {
  Encoder e;
  e.put<uint32_t>(kGgufMagic);
  e.put<uint32_t>(3);
  e.put<uint64_t>(tensors_.size());
  e.put<uint64_t>(kv_.size());
  for (const Entry& kv : kv_) {
    e.str(kv.key);
    e.bytes(kv.value.data(), kv.value.size());
  }
  uint64_t offset = 0;
  for (const Tensor& t : tensors_) {
    e.str(t.spec.name);
    e.put<uint32_t>(static_cast<uint32_t>(t.spec.ne.size()));
    for (int64_t n : t.spec.ne) e.put<int64_t>(n);
    e.put<uint32_t>(static_cast<uint32_t>(t.spec.type));
    e.put<uint64_t>(offset);
    offset = add_or_throw(offset, t.n_bytes, "data section size");
    offset = add_or_throw(offset, (align - offset % align) % align, "data section size");
  }
  e.out.resize((e.out.size() + align - 1) / align * align, 0);
  return std::move(e.out);
}

void GgufWriter::write_or_throw(const std::string& path) const {
  const uint64_t align = alignment();
  const std::vector<uint8_t> header = encode_header(align);
  const std::string tmp = path + ".tmp";
  TmpGuard guard(tmp);
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(tmp.c_str(), "wb"));
  if (!f) io_error(tmp, "create");
  const auto write = [&](const void* p, size_t n) {
    if (n && std::fwrite(p, 1, n, f.get()) != n) io_error(tmp, "write");
  };
  write(header.data(), header.size());
  std::unique_ptr<uint8_t[]> buf;  // reused; grown to the largest generated tensor
  uint64_t buf_size = 0;
  const std::vector<uint8_t> zeros(align, 0);
  for (const Tensor& t : tensors_) {
    if (t.gen) {
      if (t.n_bytes > buf_size) {
        buf.reset();
        buf = std::make_unique_for_overwrite<uint8_t[]>(t.n_bytes);
        buf_size = t.n_bytes;
      }
      t.gen(buf.get(), t.n_bytes);
      write(buf.get(), t.n_bytes);
    } else {
      write(t.data.data(), t.n_bytes);
    }
    write(zeros.data(), (align - t.n_bytes % align) % align);
  }
  if (std::fflush(f.get()) != 0) io_error(tmp, "write");
  if (std::fclose(f.release()) != 0) io_error(tmp, "close");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) io_error(path, "rename the temporary file to");
  guard.release();
}

}  // namespace hako::gguf
