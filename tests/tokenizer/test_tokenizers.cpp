// Tokenizers loaded once per test process (see test_tokenizers.h).
#include "test_tokenizers.h"

#include <map>
#include <memory>
#include <mutex>

#include "support/testdata.h"

namespace hako::test {

namespace {
const tokenizer::Tokenizer& cached(const std::string& key, bool gguf, const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<tokenizer::Tokenizer>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[key];
  if (!slot) {
    slot = std::make_unique<tokenizer::Tokenizer>(gguf ? tokenizer::Tokenizer::from_gguf_path(path)
                                                       : tokenizer::Tokenizer::from_hf_json(path));
  }
  return *slot;
}
}  // namespace

const tokenizer::Tokenizer& gguf_vocab(const std::string& name) {
  return cached("gguf:" + name, true, testdata_path("vocab/ggml-vocab-" + name + ".gguf"));
}

const tokenizer::Tokenizer& hf_tokenizer(const std::string& name) {
  return cached("hf:" + name, false, testdata_path("tokenizers/" + name));
}

}  // namespace hako::test
