// The GGUF parser: header, metadata key/values, tensor directory, then the
// placement checks on the data section (alignment, bounds, overlap). Each
// check throws its own one-line hako::Error naming the file, the field and
// the offending value.
#include "gguf/gguf_parser.h"

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cstdio>
#include <numeric>

#include "base/checked.h"

static_assert(std::endian::native == std::endian::little,
              "hako reads GGUF by memcpy and needs a little-endian host");

namespace hako::gguf::detail {
namespace {

// Smallest encodings, used to reject counts the remaining bytes cannot hold.
constexpr uint64_t kMinKvBytes = 8 + 4 + 1;              // empty key, u8 value
constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;  // empty name, 1 dim
constexpr uint64_t kMinArrayBytes = 4 + 8;               // type + count

std::string hex_magic(const uint8_t* p, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    char buf[8];
    const auto c = p[i];
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string shown(std::string_view s) {
  std::string q = quote_for_display(s, 80);
  return q.substr(1, q.size() - 2);  // drop the double quotes; callers add '...'
}

void Parser::fail(ErrorKind kind, const std::string& what) const {
  throw Error(kind, name_ + ": " + what);
}

void Parser::truncated(const char* field) const {
  fail(ErrorKind::kFormat, "truncated at " + ctx_ + field + " (offset " + std::to_string(pos_) +
                               ", file size " + std::to_string(size_) + ")");
}

std::string_view Parser::read_string(const char* field) {
  const size_t at = pos_;
  const auto len = read<uint64_t>(field);
  if (len > remaining()) {
    fail(ErrorKind::kFormat, ctx_ + field + " length " + std::to_string(len) + " at offset " +
                                 std::to_string(at) + " runs past the end of the file (size " +
                                 std::to_string(size_) + ")");
  }
  std::string_view s(reinterpret_cast<const char*>(data_ + pos_), len);
  pos_ += len;
  return s;
}

void Parser::check_count(uint64_t count, uint64_t min_item_bytes, const char* what) const {
  if (count > remaining() / min_item_bytes) {
    fail(ErrorKind::kFormat, ctx_ + what + " " + std::to_string(count) +
                                 " is larger than the remaining " + std::to_string(remaining()) +
                                 " bytes could hold");
  }
}

void Parser::parse_into(GgufFile& f) {
  uint64_t n_tensors = 0, n_kv = 0;
  parse_header(f, &n_tensors, &n_kv);
  parse_metadata(f, n_kv);
  read_alignment(f);
  parse_tensor_infos(f, n_tensors);
  place_tensors(f);
}

void Parser::parse_header(GgufFile& f, uint64_t* n_tensors, uint64_t* n_kv) {
  if (size_ < 4) truncated("magic");
  const auto magic = read<uint32_t>("magic");
  if (magic != kGgufMagic) {
    fail(ErrorKind::kFormat,
         "not a GGUF file (magic is '" + hex_magic(data_, 4) + "', expected 'GGUF')");
  }
  f.version_ = read<uint32_t>("version");
  if (f.version_ != 2 && f.version_ != 3) {
    const bool swapped = f.version_ == 0x02000000 || f.version_ == 0x03000000;
    fail(ErrorKind::kUnsupported,
         "unsupported GGUF version " + std::to_string(f.version_) +
             (swapped ? " (a big-endian file?)" : "") + " (hako reads versions 2 and 3)");
  }
  *n_tensors = read<uint64_t>("n_tensors");
  *n_kv = read<uint64_t>("n_kv");
  check_count(*n_kv, kMinKvBytes, "n_kv");
  // Tensor infos follow the metadata, so this bound is loose here and rechecked later.
  check_count(*n_tensors, kMinTensorInfoBytes, "n_tensors");
}

void Parser::parse_metadata(GgufFile& f, uint64_t n_kv) {
  f.kv_.reserve(n_kv);
  f.kv_index_.reserve(n_kv);
  for (uint64_t i = 0; i < n_kv; ++i) {
    ctx_ = "metadata key " + std::to_string(i) + " ";
    const std::string_view key = read_string("key");
    ctx_ = "metadata '" + shown(key) + "' ";
    const auto type_id = read<uint32_t>("value type");
    if (!value_type_valid(type_id)) {
      fail(ErrorKind::kFormat, ctx_ + "has unknown value type id " + std::to_string(type_id));
    }
    if (!f.kv_index_.emplace(key, f.kv_.size()).second) {
      fail(ErrorKind::kFormat, "duplicate metadata key '" + shown(key) + "'");
    }
    f.kv_.emplace_back(key, Value{});
    parse_value(f.kv_.back().second, static_cast<ValueType>(type_id), 0);
  }
  ctx_.clear();
}

void Parser::parse_value(Value& v, ValueType type, int depth) {
  v.type_ = type;
  switch (type) {
    case ValueType::kString: {
      const std::string_view s = read_string("string");
      v.ptr_ = reinterpret_cast<const uint8_t*>(s.data());
      v.size_ = s.size();
      return;
    }
    case ValueType::kArray:
      parse_array(v, depth + 1);
      return;
    default: {
      const uint32_t n = value_type_size(type);
      if (remaining() < n) truncated("value");
      uint64_t bits = 0;
      std::memcpy(&bits, data_ + pos_, n);  // little-endian host: zero-extends
      pos_ += n;
      v.bits_ = bits;
      return;
    }
  }
}

void Parser::parse_array(Value& v, int depth) {
  if (depth > kMaxArrayDepth) {
    fail(ErrorKind::kLimit,
         ctx_ + "nests arrays deeper than " + std::to_string(kMaxArrayDepth) + " levels");
  }
  const auto elem_id = read<uint32_t>("array element type");
  if (!value_type_valid(elem_id)) {
    fail(ErrorKind::kFormat, ctx_ + "has unknown array element type id " + std::to_string(elem_id));
  }
  const auto elem = static_cast<ValueType>(elem_id);
  const auto count = read<uint64_t>("array count");
  v.array_type_ = elem;
  v.size_ = count;
  v.ptr_ = data_ + pos_;
  if (elem == ValueType::kString) {
    check_count(count, 8, "array count");
    v.strings_.reserve(count);
    for (uint64_t i = 0; i < count; ++i) v.strings_.push_back(read_string("array string"));
  } else if (elem == ValueType::kArray) {
    check_count(count, kMinArrayBytes, "array count");
    nested_values_ += count;
    if (nested_values_ > kMaxNestedValues) {
      fail(ErrorKind::kLimit, ctx_ + "holds more than " + std::to_string(kMaxNestedValues) +
                                  " nested arrays in total");
    }
    v.items_.resize(count);
    for (uint64_t i = 0; i < count; ++i) parse_value(v.items_[i], ValueType::kArray, depth);
  } else {
    const uint32_t n = value_type_size(elem);
    check_count(count, n, "array count");
    pos_ += count * n;  // count * n <= remaining(), checked above
  }
}

void Parser::read_alignment(GgufFile& f) {
  const Value* a = f.find("general.alignment");
  if (!a) return;
  if (a->type() != ValueType::kU32) {
    fail(ErrorKind::kFormat, "metadata 'general.alignment' is " +
                                 std::string(to_string(a->type())) + ", expected u32");
  }
  const uint64_t al = *a->to_uint();
  if (al == 0 || !std::has_single_bit(al)) {
    fail(ErrorKind::kFormat, "general.alignment = " + std::to_string(al) +
                                 " is not a nonzero power of two");
  }
  f.alignment_ = al;
}

void Parser::parse_tensor_infos(GgufFile& f, uint64_t n_tensors) {
  check_count(n_tensors, kMinTensorInfoBytes, "n_tensors");
  f.tensors_.reserve(n_tensors);
  f.tensor_index_.reserve(n_tensors);
  for (uint64_t i = 0; i < n_tensors; ++i) {
    ctx_ = "tensor " + std::to_string(i) + " ";
    TensorInfo t;
    t.name = read_string("name");
    ctx_ = "tensor '" + shown(t.name) + "' ";
    if (!f.tensor_index_.emplace(t.name, f.tensors_.size()).second) {
      fail(ErrorKind::kFormat, "duplicate tensor name '" + shown(t.name) + "'");
    }
    parse_tensor_shape(t);
    const auto type_id = read<uint32_t>("type");
    if (!type_id_valid(type_id)) {
      fail(ErrorKind::kUnsupported,
           ctx_ + "has unknown or removed ggml type id " + std::to_string(type_id));
    }
    t.type = static_cast<GgmlType>(type_id);
    const TypeInfo& ti = type_info(t.type);
    if (t.ne[0] % ti.block_size != 0) {
      fail(ErrorKind::kFormat, ctx_ + "ne[0] = " + std::to_string(t.ne[0]) +
                                   " is not a multiple of the " + std::string(ti.name) +
                                   " block size " + std::to_string(ti.block_size));
    }
    const uint64_t rows = static_cast<uint64_t>(t.ne[1]) * static_cast<uint64_t>(t.ne[2]) *
                          static_cast<uint64_t>(t.ne[3]);  // <= element count, no overflow
    t.n_bytes = mul_or_throw(row_bytes(t.type, static_cast<uint64_t>(t.ne[0])), rows,
                             name_ + ": " + ctx_ + "byte size");
    t.offset = read<uint64_t>("offset");
    f.tensors_.push_back(t);
  }
  ctx_.clear();
}

void Parser::parse_tensor_shape(TensorInfo& t) {
  const auto n_dims = read<uint32_t>("n_dims");
  if (n_dims == 0 || n_dims > 4) {
    fail(ErrorKind::kFormat, ctx_ + "has n_dims " + std::to_string(n_dims) + ", expected 1..4");
  }
  t.n_dims = static_cast<int>(n_dims);
  static constexpr const char* kNeField[4] = {"ne[0]", "ne[1]", "ne[2]", "ne[3]"};
  uint64_t product = 1;
  for (uint32_t d = 0; d < n_dims; ++d) {
    const auto ne = read<int64_t>(kNeField[d]);
    if (ne < 0) {
      fail(ErrorKind::kFormat, ctx_ + kNeField[d] + " = " + std::to_string(ne) + " is negative");
    }
    // Zeros count as 1 so that no partial product (e.g. TensorView::n_rows) can overflow.
    const uint64_t factor = ne == 0 ? 1 : static_cast<uint64_t>(ne);
    if (!checked_mul(product, factor, &product) ||
        product > static_cast<uint64_t>(INT64_MAX)) {
      fail(ErrorKind::kFormat, ctx_ + "element count overflows at " + kNeField[d] + " = " +
                                   std::to_string(ne));
    }
    t.ne[d] = ne;
  }
}

void Parser::place_tensors(GgufFile& f) {
  const uint64_t header_end = pos_;
  const uint64_t pad = (f.alignment_ - header_end % f.alignment_) % f.alignment_;
  f.data_offset_ = header_end + pad;  // header_end <= size_, pad < 2^32: no overflow
  std::vector<size_t> order(f.tensors_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  for (TensorInfo& t : f.tensors_) {
    const std::string who = "tensor '" + shown(t.name) + "'";
    if (t.offset % f.alignment_ != 0) {
      fail(ErrorKind::kFormat, who + " offset " + std::to_string(t.offset) +
                                   " is not a multiple of the alignment " +
                                   std::to_string(f.alignment_));
    }
    uint64_t begin = 0, end = 0;
    if (!checked_add(f.data_offset_, t.offset, &begin) || !checked_add(begin, t.n_bytes, &end) ||
        end > size_) {
      fail(ErrorKind::kFormat, who + " data (offset " + std::to_string(t.offset) + ", " +
                                   std::to_string(t.n_bytes) +
                                   " bytes) lies beyond the end of the file (data section at " +
                                   std::to_string(f.data_offset_) + ", file size " +
                                   std::to_string(size_) + ")");
    }
    t.data = data_ + begin;
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return f.tensors_[a].offset < f.tensors_[b].offset;
  });
  const TensorInfo* prev = nullptr;
  for (size_t idx : order) {
    const TensorInfo& t = f.tensors_[idx];
    if (t.n_bytes == 0) continue;
    if (prev && prev->offset + prev->n_bytes > t.offset) {
      fail(ErrorKind::kFormat, "tensors '" + shown(prev->name) + "' and '" + shown(t.name) +
                                   "' overlap in the data section (offsets " +
                                   std::to_string(prev->offset) + " + " +
                                   std::to_string(prev->n_bytes) + " > " +
                                   std::to_string(t.offset) + ")");
    }
    prev = &t;
  }
}

}  // namespace hako::gguf::detail
