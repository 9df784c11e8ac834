// Tests of the GGUF reader on hand-made files (every value type, getters,
// tensor placement) and on the real files in ../shared/testdata.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "base/error.h"
#include "gguf/gguf_byte_builder.h"
#include "gguf/gguf_file.h"
#include "support/testdata.h"

namespace hako::gguf {
namespace {

using test::GgufBytes;

GgufFile parse(const std::vector<uint8_t>& b) {
  return GgufFile::parse_or_throw(b.data(), b.size(), "mem.gguf");
}

TEST(GgufReader, SmallValidFile) {
  const auto bytes = test::small_valid_gguf();
  const GgufFile f = parse(bytes);
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.alignment(), 32u);
  EXPECT_EQ(f.data_offset() % 32, 0u);
  ASSERT_EQ(f.metadata().size(), 3u);
  EXPECT_EQ(f.metadata()[0].first, "general.architecture");
  EXPECT_EQ(f.metadata()[2].first, "tokenizer.ggml.tokens");
  EXPECT_EQ(f.architecture(), "llama");
  EXPECT_EQ(f.get_u32("llama.block_count"), 2u);
  EXPECT_EQ(f.get_u64("llama.block_count"), 2u);
  EXPECT_EQ(f.get_i64("llama.block_count"), 2);
  EXPECT_FALSE(f.get_u32("missing").has_value());
  EXPECT_EQ(f.find("missing"), nullptr);
  const Value* tok = f.get_array("tokenizer.ggml.tokens");
  ASSERT_NE(tok, nullptr);
  EXPECT_EQ(tok->array_type(), ValueType::kString);
  ASSERT_EQ(tok->array_size(), 3u);
  EXPECT_EQ(tok->string_at(1), "bc");
  EXPECT_EQ(tok->string_at(2), "");
  EXPECT_EQ(tok->summarize(2), "[3 strings: \"a\", \"bc\", ...]");
  EXPECT_EQ(tok->summarize(8), "[\"a\", \"bc\", \"\"]");

  ASSERT_EQ(f.tensors().size(), 2u);
  const TensorInfo* b = f.find_tensor("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->n_dims, 2);
  EXPECT_EQ(b->ne[0], 8);
  EXPECT_EQ(b->ne[1], 2);
  EXPECT_EQ(b->n_bytes, 64u);
  EXPECT_EQ(b->offset, 32u);
  EXPECT_EQ(b->data, bytes.data() + f.data_offset() + 32);
  float x;
  std::memcpy(&x, b->data + 4 * 5, 4);
  EXPECT_EQ(x, 2.5f);
  const TensorView v = b->view();
  EXPECT_EQ(v.n_rows(), 2);
  EXPECT_EQ(v.n_bytes(), 64u);
  EXPECT_EQ(f.find_tensor("c"), nullptr);
}

TEST(GgufReader, Version2IsAccepted) {
  auto bytes = test::small_valid_gguf();
  bytes[4] = 2;
  EXPECT_EQ(parse(bytes).version(), 2u);
}

TEST(GgufReader, EveryScalarTypeAndConversions) {
  GgufBytes b;
  b.header(3, 0, 13);
  b.key("u8", 0).u8(200);
  b.key("i8", 1).u8(0xff);  // -1
  b.key("u16", 2).put<uint16_t>(65535);
  b.key("i16", 3).put<int16_t>(-300);
  b.key("u32", 4).u32(4000000000u);
  b.key("i32", 5).put<int32_t>(-7);
  b.key("f32", 6).f32(1.5f);
  b.key("bool", 7).u8(1);
  b.key("str", 8).str("hi\n");
  b.key("u64", 10).u64(std::numeric_limits<uint64_t>::max());
  b.key("i64", 11).i64(std::numeric_limits<int64_t>::min());
  b.key("f64", 12).put<double>(-2.25);
  b.key("arr", 9).u32(5).u64(3).put<int32_t>(-1).put<int32_t>(2).put<int32_t>(3);
  const GgufFile f = parse(b.bytes);
  EXPECT_EQ(f.find("u8")->to_int(), 200);
  EXPECT_EQ(f.find("i8")->to_int(), -1);
  EXPECT_FALSE(f.find("i8")->to_uint().has_value());
  EXPECT_EQ(f.find("u16")->to_uint(), 65535u);
  EXPECT_EQ(f.find("i16")->to_int(), -300);
  EXPECT_EQ(f.get_u32("u32"), 4000000000u);
  EXPECT_EQ(f.find("i32")->to_float(), -7.0);
  EXPECT_EQ(f.get_f32("f32"), 1.5f);
  EXPECT_EQ(f.get_bool("bool"), true);
  EXPECT_EQ(f.get_string("str"), "hi\n");
  EXPECT_EQ(f.find("str")->summarize(), "\"hi\\n\"");
  EXPECT_FALSE(f.find("u64")->to_int().has_value());
  EXPECT_EQ(f.find("u64")->to_uint(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(f.get_i64("i64"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(f.get_f32("f64"), -2.25f);
  EXPECT_EQ(f.find("f32")->to_int(), std::nullopt);
  EXPECT_EQ(f.find("bool")->to_int(), std::nullopt);
  const Value* arr = f.find("arr");
  EXPECT_EQ(arr->array_type(), ValueType::kI32);
  EXPECT_EQ(arr->int_at(0), -1);
  EXPECT_EQ(arr->float_at(2), 3.0);
  EXPECT_EQ(arr->summarize(), "[-1, 2, 3]");
  EXPECT_EQ(f.find("i16")->summarize(), "-300");
  EXPECT_EQ(f.find("bool")->summarize(), "true");
}

TEST(GgufReader, GetterTypeErrorsNameKeyAndTypes) {
  GgufBytes b;
  b.header(3, 0, 3);
  b.kv_str("general.name", "x");
  b.key("neg", 5).put<int32_t>(-1);
  b.key("big", 10).u64(uint64_t{1} << 40);
  const GgufFile f = parse(b.bytes);
  try {
    (void)f.get_u32("general.name");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mem.gguf: metadata 'general.name' is string"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)f.get_u32("neg"), Error);
  EXPECT_THROW((void)f.get_u64("neg"), Error);
  EXPECT_EQ(f.get_i64("neg"), -1);
  EXPECT_THROW((void)f.get_u32("big"), Error);
  EXPECT_EQ(f.get_u64("big"), uint64_t{1} << 40);
  EXPECT_THROW((void)f.get_bool("neg"), Error);
  EXPECT_THROW((void)f.get_string("neg"), Error);
  EXPECT_THROW((void)f.get_array("neg"), Error);
  EXPECT_THROW((void)f.architecture(), Error);
}

TEST(GgufReader, NestedArraysAndCustomAlignment) {
  GgufBytes b;
  b.header(3, 1, 2);
  b.kv_u32("general.alignment", 64);
  b.key("nest", 9).u32(9).u64(2);
  b.u32(6).u64(2).f32(1.0f).f32(2.0f);
  b.u32(8).u64(1).str("z");
  b.tensor("t", {32}, 8, 0);  // one q8_0 block of 34 bytes
  b.pad(64).zeros(34);
  const GgufFile f = parse(b.bytes);
  EXPECT_EQ(f.alignment(), 64u);
  EXPECT_EQ(f.data_offset() % 64, 0u);
  const Value* n = f.find("nest");
  ASSERT_EQ(n->array_size(), 2u);
  EXPECT_EQ(n->array_at(0).float_at(1), 2.0);
  EXPECT_EQ(n->array_at(1).string_at(0), "z");
  EXPECT_EQ(f.tensors()[0].n_bytes, 34u);
  EXPECT_EQ(f.tensors()[0].type, GgmlType::Q8_0);
}

TEST(GgufReader, RealReferenceModels) {
  namespace fs = std::filesystem;
  int n_files = 0;
  for (const auto& dir : fs::directory_iterator(test::testdata_path("reference"))) {
    const fs::path p = dir.path() / "model.gguf";
    if (!fs::exists(p)) continue;
    const GgufFile f = GgufFile::open_or_throw(p.string());
    ++n_files;
    EXPECT_EQ(f.version(), 3u) << p;
    EXPECT_FALSE(f.architecture().empty()) << p;
    ASSERT_FALSE(f.tensors().empty()) << p;
    EXPECT_NE(f.find_tensor("token_embd.weight"), nullptr) << p;
    uint64_t end = 0;
    for (const TensorInfo& t : f.tensors()) {
      EXPECT_EQ(f.find_tensor(t.name), &t);
      end = std::max(end, f.data_offset() + t.offset + t.n_bytes);
    }
    EXPECT_LE(end, f.file_size()) << p;
    const Value* tokens = f.get_array("tokenizer.ggml.tokens");
    ASSERT_NE(tokens, nullptr) << p;
    EXPECT_GE(tokens->array_size(), 1024u) << p;
    EXPECT_EQ(tokens->string_at(1), "<s>") << p;
  }
  EXPECT_GE(n_files, 10);
}

TEST(GgufReader, RealVocabAndTinyModel) {
  const GgufFile v = GgufFile::open_or_throw(test::testdata_path("vocab/ggml-vocab-gpt-2.gguf"));
  EXPECT_EQ(v.get_string("tokenizer.ggml.model"), "gpt2");
  EXPECT_EQ(v.get_array("tokenizer.ggml.tokens")->array_size(), 50257u);
  EXPECT_TRUE(v.tensors().empty());
  const GgufFile d = GgufFile::open_or_throw(test::testdata_path("vocab/ggml-vocab-deepseek-llm.gguf"));
  EXPECT_EQ(d.get_array("tokenizer.ggml.tokens")->array_size(), 102400u);
  const GgufFile m = GgufFile::open_or_throw(test::testdata_path("models/llama-2-tiny-random.gguf"));
  EXPECT_EQ(m.architecture(), "llama");
  EXPECT_EQ(m.get_array("tokenizer.ggml.tokens")->array_size(), 32000u);
  EXPECT_EQ(m.get_array("tokenizer.ggml.scores")->array_type(), ValueType::kF32);
}

// A Qwen-sized vocabulary (151936 strings): offsets are indexed once at parse
// time so string_at is O(1). The time is printed, not asserted (ASan/qemu).
TEST(GgufReader, LargeStringArray) {
  constexpr uint64_t kN = 151936;
  GgufBytes b;
  b.header(3, 0, 1).key("tokenizer.ggml.tokens", 9).u32(8).u64(kN);
  for (uint64_t i = 0; i < kN; ++i) b.str("<t" + std::to_string(i) + ">");
  const auto t0 = std::chrono::steady_clock::now();
  const GgufFile f = parse(b.bytes);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  RecordProperty("parse_ms", std::to_string(ms));
  std::printf("parsed %llu strings in %.2f ms\n", static_cast<unsigned long long>(kN), ms);
  const Value* t = f.get_array("tokenizer.ggml.tokens");
  ASSERT_EQ(t->array_size(), kN);
  EXPECT_EQ(t->string_at(0), "<t0>");
  EXPECT_EQ(t->string_at(kN - 1), "<t151935>");
  EXPECT_EQ(t->string_at(77777), "<t77777>");
}

TEST(GgufReader, OpenMissingFileIsIoError) {
  try {
    (void)GgufFile::open_or_throw("/nonexistent/x.gguf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
}

}  // namespace
}  // namespace hako::gguf
