// Concurrent use of one Tokenizer (LABELS threads, run under TSan): encode
// and decode are const and keep their scratch per thread, so several
// threads encoding at once must get exactly the single-threaded results.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "test_tokenizers.h"
#include "tokenizer/stream_decoder.h"
#include "tokenizer/tokenizer.h"

namespace hako::tokenizer {
namespace {

TEST(Threads, ConcurrentEncodeMatchesSerial) {
  for (const Tokenizer* tok : {&test::hf_tokenizer("qwen3"), &test::gguf_vocab("llama-spm")}) {
    std::vector<std::string> texts;
    for (int i = 0; i < 32; ++i) {
      texts.push_back("スレッド " + std::to_string(i) + ": the quick brown fox, 日本語のテキスト。" +
                      std::string(size_t(i % 7), ' ') + "<|im_end|> 😀");
    }
    std::vector<std::vector<int32_t>> serial;
    for (const auto& t : texts) serial.push_back(tok->encode(t));
    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int w = 0; w < 4; ++w) {
      threads.emplace_back([&, w] {
        for (int rep = 0; rep < 20; ++rep) {
          for (size_t i = 0; i < texts.size(); ++i) {
            const auto ids = tok->encode(texts[(i + size_t(w)) % texts.size()]);
            mismatches[size_t(w)] += ids != serial[(i + size_t(w)) % texts.size()];
            StreamDecoder stream(*tok);
            std::string s;
            for (int32_t id : ids) s += stream.push(id);
            s += stream.flush();
            mismatches[size_t(w)] += s != tok->decode(ids);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    for (int m : mismatches) EXPECT_EQ(m, 0);
  }
}

}  // namespace
}  // namespace hako::tokenizer
