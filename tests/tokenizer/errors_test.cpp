// Bad tokenizer files give one hako::Error naming the file and the problem,
// never a crash: missing files, malformed JSON, unsupported components,
// GGUF files with missing or mistyped tokenizer keys.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>
#include <string>
#include <vector>

#include "base/error.h"
#include "gguf/gguf_writer.h"
#include "tokenizer/tokenizer.h"

namespace hako::tokenizer {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("hako_tok_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// Runs f and returns the Error it throws (fails the test if none).
Error expect_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no hako::Error thrown";
  return Error(ErrorKind::kIo, "");
}

void expect_message(const Error& e, ErrorKind kind, const std::string& part) {
  EXPECT_EQ(e.kind(), kind) << e.what();
  EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
}

const std::string kMinimalBpe =
    R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";

TEST(HfJsonErrors, FilesAndSyntax) {
  TempDir d;
  expect_message(expect_error([] { Tokenizer::from_hf_json("/nonexistent/tokenizer.json"); }), ErrorKind::kIo,
                 "no such file");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(d.path()); }), ErrorKind::kIo, "no tokenizer.json");
  const std::string bad = d.file("bad.json", "{\"model\": {");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(bad); }), ErrorKind::kFormat, "not valid JSON");
  const std::string nomodel = d.file("nomodel.json", "{\"version\": \"1.0\"}");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(nomodel); }), ErrorKind::kFormat, "no \"model\"");
}

TEST(HfJsonErrors, Components) {
  TempDir d;
  const std::string ok = d.file("ok.json", kMinimalBpe);
  EXPECT_EQ(Tokenizer::from_hf_json(ok).encode("ab"), std::vector<int32_t>{2});
  auto with = [&](const std::string& name, const std::string& json) { return d.file(name, json); };
  const std::string unigram = with("u.json", R"({"model": {"type": "Unigram", "vocab": [["a", 0.0]]}})");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(unigram); }), ErrorKind::kUnsupported, "Unigram");
  const std::string merge = with("m.json", R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b c"]}})");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(merge); }), ErrorKind::kFormat, "merge 'a b c'");
  const std::string id = with("i.json", R"({"model": {"type": "BPE", "vocab": {"a": -3}, "merges": []}})");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(id); }), ErrorKind::kFormat, "model.vocab['a']");
  const std::string norm = with("n.json", R"({"normalizer": {"type": "Precompiled"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(norm); }), ErrorKind::kUnsupported, "Precompiled");
  const std::string re = with("r.json", R"({"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(("}, "behavior": "Isolated"}, "model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}})");
  expect_message(expect_error([&] { Tokenizer::from_hf_json(re); }), ErrorKind::kFormat, "does not compile");
}

std::string write_gguf(const TempDir& d, const std::string& name, const std::function<void(gguf::GgufWriter&)>& fill) {
  gguf::GgufWriter w;
  w.set_string("general.architecture", "test");
  fill(w);
  const std::string path = d.path() + "/" + name;
  w.write_or_throw(path);
  return path;
}

TEST(GgufErrors, MissingAndMistypedKeys) {
  TempDir d;
  const std::vector<std::string> toks = {"a", "b", "ab"};
  const std::vector<std::string> merges = {"a b"};
  auto base = [&](gguf::GgufWriter& w) {
    w.set_string("tokenizer.ggml.model", "gpt2");
    w.set_string("tokenizer.ggml.pre", "gpt-2");
    w.set_string_array("tokenizer.ggml.tokens", toks);
    w.set_string_array("tokenizer.ggml.merges", merges);
  };
  EXPECT_EQ(Tokenizer::from_gguf_path(write_gguf(d, "ok.gguf", base)).encode("ab"), std::vector<int32_t>{2});
  auto case_of = [&](const std::string& name, const std::function<void(gguf::GgufWriter&)>& edit) {
    return write_gguf(d, name, [&](gguf::GgufWriter& w) {
      base(w);
      edit(w);
    });
  };
  const std::string no_model = case_of("1.gguf", [](gguf::GgufWriter& w) { w.remove("tokenizer.ggml.model"); });
  expect_message(expect_error([&] { Tokenizer::from_gguf_path(no_model); }), ErrorKind::kFormat,
                 "'tokenizer.ggml.model' is missing");
  const std::string t5 = case_of("2.gguf", [](gguf::GgufWriter& w) { w.set_string("tokenizer.ggml.model", "t5"); });
  expect_message(expect_error([&] { Tokenizer::from_gguf_path(t5); }), ErrorKind::kUnsupported, "'t5'");
  const std::string pre = case_of("3.gguf", [](gguf::GgufWriter& w) { w.set_string("tokenizer.ggml.pre", "no-such"); });
  expect_message(expect_error([&] { Tokenizer::from_gguf_path(pre); }), ErrorKind::kUnsupported, "'no-such'");
  const std::string no_merges = case_of("4.gguf", [](gguf::GgufWriter& w) { w.remove("tokenizer.ggml.merges"); });
  expect_message(expect_error([&] { Tokenizer::from_gguf_path(no_merges); }), ErrorKind::kFormat,
                 "'tokenizer.ggml.merges' is missing");
  const std::string ints = case_of("5.gguf", [](gguf::GgufWriter& w) {
    const std::vector<int32_t> v = {1, 2, 3};
    w.set_i32_array("tokenizer.ggml.tokens", v);
  });
  expect_message(expect_error([&] { Tokenizer::from_gguf_path(ints); }), ErrorKind::kFormat,
                 "'tokenizer.ggml.tokens' must be an array of strings");
  const std::string scores = case_of("6.gguf", [](gguf::GgufWriter& w) {
    w.set_string("tokenizer.ggml.model", "llama");
    const std::vector<float> s = {0.0f};
    w.set_f32_array("tokenizer.ggml.scores", s);
  });
  expect_message(expect_error([&] { Tokenizer::from_gguf_path(scores); }), ErrorKind::kFormat,
                 "'tokenizer.ggml.scores' has 1 entries, expected 3");
  const std::string no_tokens = case_of("7.gguf", [](gguf::GgufWriter& w) { w.remove("tokenizer.ggml.tokens"); });
  expect_message(expect_error([&] { Tokenizer::from_gguf_path(no_tokens); }), ErrorKind::kFormat,
                 "'tokenizer.ggml.tokens' is missing");
}

}  // namespace
}  // namespace hako::tokenizer
