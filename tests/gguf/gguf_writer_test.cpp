// Round-trip tests of GgufWriter: write -> GgufFile -> compare every key/value
// and every tensor, including a rewrite of each real reference model.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <limits>

#include "base/error.h"
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "support/testdata.h"

namespace hako::gguf {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("hako_gguf_writer_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// Values are equal if they have the same type and payload (recursively).
void expect_same_value(const Value& a, const Value& b, const std::string& key) {
  ASSERT_EQ(a.type(), b.type()) << key;
  if (a.type() != ValueType::kArray) {
    EXPECT_EQ(a.summarize(), b.summarize()) << key;
    EXPECT_EQ(a.to_uint(), b.to_uint()) << key;
    EXPECT_EQ(a.to_int(), b.to_int()) << key;
    return;
  }
  ASSERT_EQ(a.array_type(), b.array_type()) << key;
  ASSERT_EQ(a.array_size(), b.array_size()) << key;
  for (uint64_t i = 0; i < a.array_size(); ++i) {
    switch (a.array_type()) {
      case ValueType::kString: ASSERT_EQ(a.string_at(i), b.string_at(i)) << key << "[" << i << "]"; break;
      case ValueType::kArray: expect_same_value(a.array_at(i), b.array_at(i), key); break;
      default: ASSERT_EQ(a.bits_at(i), b.bits_at(i)) << key << "[" << i << "]"; break;
    }
  }
}

TEST(GgufWriter, EveryValueTypeRoundTrips) {
  TempDir dir;
  GgufWriter w;
  w.set_string("general.architecture", "test");
  w.set_u8("u8", 250);
  w.set_i8("i8", -100);
  w.set_u16("u16", 60000);
  w.set_i16("i16", -30000);
  w.set_u32("u32", 4000000000u);
  w.set_i32("i32", -2000000000);
  w.set_u64("u64", std::numeric_limits<uint64_t>::max());
  w.set_i64("i64", std::numeric_limits<int64_t>::min());
  w.set_f32("f32", 0.1f);
  w.set_f64("f64", 1e300);
  w.set_bool("bool", true);
  const std::vector<std::string> strs = {"a", "", "\xe3\x81\x82", std::string(1000, 'x')};
  w.set_string_array("strs", strs);
  const std::vector<int32_t> ints = {1, -2, 3};
  w.set_i32_array("ints", ints);
  const std::vector<float> floats = {0.5f, -1.25f};
  w.set_f32_array("floats", floats);
  const uint16_t u16s[3] = {1, 2, 65535};
  w.set_numeric_array("u16s", ValueType::kU16, u16s, 3);
  w.set_u32("u8", 7);  // replaces in place, keeps the position
  ASSERT_EQ(w.n_metadata(), 16u);
  const std::string path = dir.file("a.gguf");
  w.write_or_throw(path);
  EXPECT_FALSE(fs::exists(path + ".tmp"));

  const GgufFile f = GgufFile::open_or_throw(path);
  ASSERT_EQ(f.metadata().size(), 16u);
  EXPECT_EQ(f.metadata()[1].first, "u8");
  EXPECT_EQ(f.metadata()[1].second.type(), ValueType::kU32);
  EXPECT_EQ(f.get_u32("u8"), 7u);
  EXPECT_EQ(f.find("i8")->to_int(), -100);
  EXPECT_EQ(f.find("u16")->to_int(), 60000);
  EXPECT_EQ(f.find("i16")->to_int(), -30000);
  EXPECT_EQ(f.get_u32("u32"), 4000000000u);
  EXPECT_EQ(f.get_i64("i32"), -2000000000);
  EXPECT_EQ(f.get_u64("u64"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(f.get_i64("i64"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(f.get_f32("f32"), 0.1f);
  EXPECT_EQ(f.find("f64")->to_float(), 1e300);
  EXPECT_EQ(f.get_bool("bool"), true);
  const Value* s = f.get_array("strs");
  ASSERT_EQ(s->array_size(), 4u);
  for (size_t i = 0; i < strs.size(); ++i) EXPECT_EQ(s->string_at(i), strs[i]);
  EXPECT_EQ(f.get_array("ints")->int_at(1), -2);
  EXPECT_EQ(f.get_array("floats")->float_at(1), -1.25);
  EXPECT_EQ(f.get_array("u16s")->int_at(2), 65535);

  // set_value copies each read value exactly, nested arrays included.
  GgufWriter copy;
  for (const auto& [k, v] : f.metadata()) copy.set_value(k, v);
  const std::string path2 = dir.file("b.gguf");
  copy.write_or_throw(path2);
  const GgufFile g = GgufFile::open_or_throw(path2);
  ASSERT_EQ(g.metadata().size(), f.metadata().size());
  for (size_t i = 0; i < f.metadata().size(); ++i) {
    EXPECT_EQ(g.metadata()[i].first, f.metadata()[i].first);
    expect_same_value(f.metadata()[i].second, g.metadata()[i].second, std::string(f.metadata()[i].first));
  }
  EXPECT_EQ(fs::file_size(path), fs::file_size(path2));
}

TEST(GgufWriter, TensorsFromSpansAndGenerators) {
  TempDir dir;
  GgufWriter w;
  w.set_u32("general.alignment", 64);
  std::vector<uint8_t> a(3 * 34);  // 3 q8_0 blocks: ne {32, 3}
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i * 7);
  w.add_tensor({"a", GgmlType::Q8_0, {32, 3}}, a);
  w.add_tensor({"gen", GgmlType::F32, {5, 2, 3}}, [](uint8_t* dst, uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>(255 - i);
  });
  w.add_tensor({"empty", GgmlType::F16, {0}}, std::span<const uint8_t>());
  EXPECT_EQ(w.tensor_bytes(), 102u + 120u);
  const std::string path = dir.file("t.gguf");
  w.write_or_throw(path);
  const GgufFile f = GgufFile::open_or_throw(path);
  EXPECT_EQ(f.alignment(), 64u);
  ASSERT_EQ(f.tensors().size(), 3u);
  const TensorInfo& ta = f.tensors()[0];
  EXPECT_EQ(ta.type, GgmlType::Q8_0);
  EXPECT_EQ(ta.n_dims, 2);
  EXPECT_EQ(ta.ne[1], 3);
  ASSERT_EQ(ta.n_bytes, a.size());
  EXPECT_EQ(std::memcmp(ta.data, a.data(), a.size()), 0);
  const TensorInfo& tg = *f.find_tensor("gen");
  EXPECT_EQ(tg.offset % 64, 0u);
  ASSERT_EQ(tg.n_bytes, 120u);
  for (uint64_t i = 0; i < tg.n_bytes; ++i) ASSERT_EQ(tg.data[i], static_cast<uint8_t>(255 - i));
  EXPECT_EQ(f.find_tensor("empty")->n_bytes, 0u);
}

TEST(GgufWriter, RejectsBadTensors) {
  GgufWriter w;
  std::vector<uint8_t> d(34);
  EXPECT_THROW(w.add_tensor({"", GgmlType::F32, {1}}, d), Error);
  EXPECT_THROW(w.add_tensor({std::string(64, 'n'), GgmlType::F32, {1}}, d), Error);
  EXPECT_THROW(w.add_tensor({"x", GgmlType::F32, {}}, d), Error);
  EXPECT_THROW(w.add_tensor({"x", GgmlType::F32, {1, 1, 1, 1, 1}}, d), Error);
  EXPECT_THROW(w.add_tensor({"x", GgmlType::Q8_0, {16}}, d), Error);
  EXPECT_THROW(w.add_tensor({"x", GgmlType::F32, {-1}}, d), Error);
  EXPECT_THROW(w.add_tensor({"x", GgmlType::Q8_0, {64}}, d), Error);  // needs 68 bytes
  w.add_tensor({"x", GgmlType::Q8_0, {32}}, d);
  EXPECT_THROW(w.add_tensor({"x", GgmlType::Q8_0, {32}}, d), Error);
  EXPECT_EQ(w.n_tensors(), 1u);
  w.set_u32("general.alignment", 3);
  EXPECT_THROW(w.write_or_throw("/tmp/never.gguf"), Error);
}

TEST(GgufWriter, FailedWriteLeavesNothing) {
  TempDir dir;
  const std::string path = dir.file("fail.gguf");
  GgufWriter w;
  w.add_tensor({"t", GgmlType::F32, {4}}, [](uint8_t*, uint64_t) {
    throw Error(ErrorKind::kInvalidArgument, "generator failed");
  });
  EXPECT_THROW(w.write_or_throw(path), Error);
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  try {
    w.write_or_throw(dir.file("no/such/dir.gguf"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
    EXPECT_NE(std::string(e.what()).find("no/such/dir.gguf.tmp"), std::string::npos) << e.what();
  }
}

// Rewrites every reference model with set_value + span tensors: the copy must
// hold the same metadata and tensor bytes.
TEST(GgufWriter, RewritesRealModelsExactly) {
  TempDir dir;
  int n = 0;
  for (const auto& entry : fs::directory_iterator(test::testdata_path("reference"))) {
    const fs::path p = entry.path() / "model.gguf";
    if (!fs::exists(p)) continue;
    const GgufFile src = GgufFile::open_or_throw(p.string());
    GgufWriter w;
    for (const auto& [k, v] : src.metadata()) w.set_value(k, v);
    for (const TensorInfo& t : src.tensors()) {
      w.add_tensor({std::string(t.name), t.type, std::vector<int64_t>(t.ne.begin(), t.ne.begin() + t.n_dims)},
                   std::span<const uint8_t>(t.data, t.n_bytes));
    }
    const std::string out = dir.file("copy" + std::to_string(n++) + ".gguf");
    w.write_or_throw(out);
    const GgufFile dst = GgufFile::open_or_throw(out);
    ASSERT_EQ(dst.metadata().size(), src.metadata().size()) << p;
    for (size_t i = 0; i < src.metadata().size(); ++i) {
      ASSERT_EQ(dst.metadata()[i].first, src.metadata()[i].first);
      expect_same_value(src.metadata()[i].second, dst.metadata()[i].second, std::string(src.metadata()[i].first));
    }
    ASSERT_EQ(dst.tensors().size(), src.tensors().size());
    for (size_t i = 0; i < src.tensors().size(); ++i) {
      const TensorInfo& a = src.tensors()[i];
      const TensorInfo& b = dst.tensors()[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.type, b.type);
      EXPECT_EQ(a.ne, b.ne);
      EXPECT_EQ(a.n_dims, b.n_dims);
      ASSERT_EQ(a.n_bytes, b.n_bytes);
      EXPECT_EQ(std::memcmp(a.data, b.data, a.n_bytes), 0) << a.name;
    }
    // llama.cpp packs tensors the same way, so the files are byte-identical.
    ASSERT_EQ(dst.file_size(), src.file_size()) << p;
    EXPECT_EQ(std::memcmp(dst.bytes(), src.bytes(), src.file_size()), 0) << p;
  }
  EXPECT_GE(n, 10);
}

}  // namespace
}  // namespace hako::gguf
