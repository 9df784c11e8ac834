// Hand-made corrupt GGUF files, one per failure class of the reader, each
// asserting that parsing throws hako::Error whose one-line message names the
// problem; plus every truncation of a valid file. None may crash (these also
// run under ASan/UBSan).
#include <gtest/gtest.h>

#include <string>

#include "base/error.h"
#include "gguf/gguf_byte_builder.h"
#include "gguf/gguf_file.h"

namespace hako::gguf {
namespace {

using test::GgufBytes;

// Parses `b` and returns the error message; fails the test if it parses.
std::string error_of(const std::vector<uint8_t>& b, ErrorKind* kind = nullptr) {
  try {
    (void)GgufFile::parse_or_throw(b.data(), b.size(), "bad.gguf");
  } catch (const Error& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  ADD_FAILURE() << "parsed without error";
  return {};
}

#define EXPECT_GGUF_ERROR(bytes, needle)                                                \
  do {                                                                                  \
    const std::string msg_ = error_of(bytes);                                           \
    EXPECT_NE(msg_.find(needle), std::string::npos) << "message: " << msg_;             \
    EXPECT_EQ(msg_.rfind("bad.gguf: ", 0), 0u) << "message: " << msg_;                  \
    EXPECT_EQ(msg_.find('\n'), std::string::npos) << "message: " << msg_;               \
  } while (0)

// A file with one f32 tensor described by `ne`, `type` and `offset`, and
// `data_bytes` bytes of data after the aligned header.
std::vector<uint8_t> one_tensor(std::vector<int64_t> ne, uint32_t type, uint64_t offset,
                                size_t data_bytes) {
  GgufBytes b;
  b.header(3, 1, 0).tensor("w", std::move(ne), type, offset).pad().zeros(data_bytes);
  return b.bytes;
}

TEST(GgufCorrupt, EveryTruncationIsAnError) {
  const auto valid = test::small_valid_gguf();
  ASSERT_NO_THROW((void)GgufFile::parse_or_throw(valid.data(), valid.size(), "ok"));
  for (size_t n = 0; n < valid.size(); ++n) {
    const std::vector<uint8_t> cut(valid.begin(), valid.begin() + static_cast<long>(n));
    const std::string msg = error_of(cut);
    EXPECT_EQ(msg.rfind("bad.gguf: ", 0), 0u) << "prefix " << n << ": " << msg;
  }
}

TEST(GgufCorrupt, TruncatedHeaderFieldsAreNamed) {
  const auto valid = test::small_valid_gguf();
  const auto cut = [&](size_t n) { return std::vector<uint8_t>(valid.begin(), valid.begin() + static_cast<long>(n)); };
  EXPECT_GGUF_ERROR(cut(0), "truncated at magic (offset 0");
  EXPECT_GGUF_ERROR(cut(3), "truncated at magic");
  EXPECT_GGUF_ERROR(cut(6), "truncated at version (offset 4");
  EXPECT_GGUF_ERROR(cut(12), "truncated at n_tensors (offset 8");
  EXPECT_GGUF_ERROR(cut(20), "truncated at n_kv (offset 16");
  // Cutting the tensor data: the last tensor no longer fits.
  EXPECT_GGUF_ERROR(cut(valid.size() - 1), "tensor 'b' data (offset 32, 64 bytes) lies beyond the end");
}

TEST(GgufCorrupt, TruncatedFieldsInsideEntries) {
  GgufBytes kv;
  kv.header(3, 0, 1).str("general.name").u32(8).u64(5).u8('a');
  EXPECT_GGUF_ERROR(kv.bytes, "metadata 'general.name' string length 5");
  GgufBytes ty;
  ty.header(3, 0, 1).str("general.name").u8(4);
  EXPECT_GGUF_ERROR(ty.bytes, "truncated at metadata 'general.name' value type (offset 44");
  GgufBytes t;
  t.header(3, 1, 0).str("w").u32(2).i64(4).u32(0);
  EXPECT_GGUF_ERROR(t.bytes, "n_tensors 1 is larger than the remaining");
}

TEST(GgufCorrupt, BadMagic) {
  auto b = test::small_valid_gguf();
  b[0] = 'X';
  EXPECT_GGUF_ERROR(b, "not a GGUF file (magic is 'XGUF', expected 'GGUF')");
}

TEST(GgufCorrupt, UnsupportedVersions) {
  auto b = test::small_valid_gguf();
  b[4] = 1;
  ErrorKind kind{};
  const std::string msg = error_of(b, &kind);
  EXPECT_NE(msg.find("unsupported GGUF version 1"), std::string::npos) << msg;
  EXPECT_EQ(kind, ErrorKind::kUnsupported);
  b[4] = 4;
  EXPECT_GGUF_ERROR(b, "unsupported GGUF version 4");
  b[4] = 0;
  b[7] = 3;
  EXPECT_GGUF_ERROR(b, "(a big-endian file?)");
}

TEST(GgufCorrupt, KeyLengthBeyondFile) {
  GgufBytes b;
  b.header(3, 0, 1).u64(1000).zeros(20);
  EXPECT_GGUF_ERROR(b.bytes, "metadata key 0 key length 1000 at offset 24 runs past the end of the file");
}

TEST(GgufCorrupt, StringLengthBeyondFile) {
  GgufBytes b;
  b.header(3, 0, 1).key("general.name", 8).u64(uint64_t{1} << 62).zeros(8);
  EXPECT_GGUF_ERROR(b.bytes, "metadata 'general.name' string length 4611686018427387904");
  GgufBytes a;
  a.header(3, 0, 1).key("toks", 9).u32(8).u64(2).str("ok").u64(99);
  EXPECT_GGUF_ERROR(a.bytes, "metadata 'toks' array string length 99");
}

TEST(GgufCorrupt, AbsurdCountsFailBeforeAllocating) {
  GgufBytes t;
  t.header(3, uint64_t{1} << 60, 0).zeros(64);
  EXPECT_GGUF_ERROR(t.bytes, "n_tensors 1152921504606846976 is larger than the remaining 64 bytes could hold");
  GgufBytes k;
  k.header(3, 0, uint64_t{1} << 60).zeros(64);
  EXPECT_GGUF_ERROR(k.bytes, "n_kv 1152921504606846976 is larger than the remaining");
  GgufBytes a;
  a.header(3, 0, 1).key("arr", 9).u32(4).u64(uint64_t{1} << 60).zeros(64);
  EXPECT_GGUF_ERROR(a.bytes, "metadata 'arr' array count 1152921504606846976 is larger than");
  GgufBytes s;
  s.header(3, 0, 1).key("arr", 9).u32(8).u64(uint64_t{1} << 61).zeros(64);
  EXPECT_GGUF_ERROR(s.bytes, "array count 2305843009213693952 is larger than");
  GgufBytes n;
  n.header(3, 0, 1).key("arr", 9).u32(9).u64(~uint64_t{0}).zeros(64);
  EXPECT_GGUF_ERROR(n.bytes, "array count 18446744073709551615 is larger than");
}

TEST(GgufCorrupt, UnknownValueTypes) {
  GgufBytes b;
  b.header(3, 0, 1).key("k", 13).u32(0);
  EXPECT_GGUF_ERROR(b.bytes, "metadata 'k' has unknown value type id 13");
  GgufBytes a;
  a.header(3, 0, 1).key("k", 9).u32(0xffffffffu).u64(0);
  EXPECT_GGUF_ERROR(a.bytes, "metadata 'k' has unknown array element type id 4294967295");
}

TEST(GgufCorrupt, UnknownOrRemovedTensorTypes) {
  for (uint32_t id : {4u, 5u, 31u, 36u, 43u, 1000u}) {
    ErrorKind kind{};
    const std::string msg = error_of(one_tensor({32}, id, 0, 1024), &kind);
    EXPECT_NE(msg.find("tensor 'w' has unknown or removed ggml type id " + std::to_string(id)),
              std::string::npos) << msg;
    EXPECT_EQ(kind, ErrorKind::kUnsupported);
  }
}

TEST(GgufCorrupt, BadDimensionCounts) {
  EXPECT_GGUF_ERROR(one_tensor({}, 0, 0, 0), "tensor 'w' has n_dims 0, expected 1..4");
  EXPECT_GGUF_ERROR(one_tensor({1, 1, 1, 1, 1}, 0, 0, 16), "tensor 'w' has n_dims 5, expected 1..4");
}

TEST(GgufCorrupt, NegativeAndOverflowingShapes) {
  EXPECT_GGUF_ERROR(one_tensor({4, -1}, 0, 0, 16), "tensor 'w' ne[1] = -1 is negative");
  EXPECT_GGUF_ERROR(one_tensor({int64_t{1} << 32, int64_t{1} << 32}, 0, 0, 16),
                    "tensor 'w' element count overflows at ne[1] = 4294967296");
  // Zeros do not hide an overflow of the other dimensions.
  EXPECT_GGUF_ERROR(one_tensor({0, int64_t{1} << 40, int64_t{1} << 40}, 0, 0, 16),
                    "element count overflows at ne[2]");
  // 2^62 f32 elements fit in int64 but their 2^64 bytes do not.
  EXPECT_GGUF_ERROR(one_tensor({int64_t{1} << 31, int64_t{1} << 31}, 0, 0, 16),
                    "tensor 'w' byte size overflows 64 bits");
}

TEST(GgufCorrupt, RowNotAMultipleOfTheBlockSize) {
  EXPECT_GGUF_ERROR(one_tensor({48}, 2, 0, 64),
                    "tensor 'w' ne[0] = 48 is not a multiple of the q4_0 block size 32");
  EXPECT_GGUF_ERROR(one_tensor({128, 2}, 12, 0, 512), "not a multiple of the q4_K block size 256");
}

TEST(GgufCorrupt, TensorDataOutOfBounds) {
  EXPECT_GGUF_ERROR(one_tensor({8}, 0, 0, 31),
                    "tensor 'w' data (offset 0, 32 bytes) lies beyond the end of the file");
  EXPECT_GGUF_ERROR(one_tensor({8}, 0, ~uint64_t{0} - 31, 64), "lies beyond the end of the file");
}

TEST(GgufCorrupt, OffsetNotAligned) {
  EXPECT_GGUF_ERROR(one_tensor({4}, 0, 8, 64), "tensor 'w' offset 8 is not a multiple of the alignment 32");
}

TEST(GgufCorrupt, OverlappingTensors) {
  GgufBytes b;
  b.header(3, 2, 0).tensor("a", {16}, 0, 0).tensor("b", {8}, 0, 32).pad().zeros(128);
  EXPECT_GGUF_ERROR(b.bytes, "tensors 'a' and 'b' overlap in the data section (offsets 0 + 64 > 32)");
}

TEST(GgufCorrupt, DuplicateTensorNames) {
  GgufBytes b;
  b.header(3, 2, 0).tensor("same", {8}, 0, 0).tensor("same", {8}, 0, 32).pad().zeros(64);
  EXPECT_GGUF_ERROR(b.bytes, "duplicate tensor name 'same'");
}

TEST(GgufCorrupt, DuplicateMetadataKeys) {
  GgufBytes b;
  b.header(3, 0, 2).kv_u32("k.x", 1).kv_u32("k.x", 2);
  EXPECT_GGUF_ERROR(b.bytes, "duplicate metadata key 'k.x'");
}

TEST(GgufCorrupt, ArrayNestingDepthLimit) {
  GgufBytes ok;
  ok.header(3, 0, 1).key("deep", 9);
  for (int d = 1; d < kMaxArrayDepth; ++d) ok.u32(9).u64(1);
  ok.u32(0).u64(0);
  ASSERT_NO_THROW((void)GgufFile::parse_or_throw(ok.bytes.data(), ok.size(), "ok"));
  GgufBytes b;
  b.header(3, 0, 1).key("deep", 9);
  for (int d = 0; d < kMaxArrayDepth; ++d) b.u32(9).u64(1);
  b.u32(0).u64(0);
  EXPECT_GGUF_ERROR(b.bytes, "metadata 'deep' nests arrays deeper than 8 levels");
}

TEST(GgufCorrupt, NestedArrayTotalIsBounded) {
  GgufBytes b;
  const uint64_t n = (uint64_t{1} << 20) + 1;
  b.header(3, 0, 1).key("many", 9).u32(9).u64(n);
  b.bytes.reserve(b.size() + n * 12);
  for (uint64_t i = 0; i < n; ++i) b.u32(0).u64(0);
  EXPECT_GGUF_ERROR(b.bytes, "metadata 'many' holds more than 1048576 nested arrays");
}

TEST(GgufCorrupt, BadAlignment) {
  for (uint32_t al : {0u, 3u, 48u}) {
    GgufBytes b;
    b.header(3, 0, 1).kv_u32("general.alignment", al);
    EXPECT_GGUF_ERROR(b.bytes, "general.alignment = " + std::to_string(al) + " is not a nonzero power of two");
  }
  GgufBytes t;
  t.header(3, 0, 1).key("general.alignment", 5).u32(32);
  EXPECT_GGUF_ERROR(t.bytes, "metadata 'general.alignment' is i32, expected u32");
}

TEST(GgufCorrupt, HostileNamesAreEscapedOnOneLine) {
  GgufBytes b;
  b.header(3, 0, 2).kv_u32("a\nb\x01", 1).kv_u32("a\nb\x01", 2);
  EXPECT_GGUF_ERROR(b.bytes, "duplicate metadata key 'a\\nb\\x01'");
}

}  // namespace
}  // namespace hako::gguf
