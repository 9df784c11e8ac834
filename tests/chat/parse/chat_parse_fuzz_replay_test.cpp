// Replays inputs through the chat_parse_fuzz libFuzzer target's entry point
// in a normal test binary (the suite's own sanitizers, no libFuzzer): the
// fuzzer's seeds (tests/fuzz/chat_parse_seeds.h: assistant turns of the
// reference renderings in ../shared/testdata/templates/expected and
// hand-made outputs), each also with other split patterns and options, and
// every past finding in tests/chat/parse/fuzz_regressions/. The target traps
// when a property fails (a parse that depends on the pieces, events that do
// not add up, invalid UTF-8 out of valid UTF-8 in), which fails this test.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "chat_parse_seeds.h"
#include "support/testdata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

int run(const std::string& bytes) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

TEST(ChatParseFuzzReplay, Seeds) {
  const auto seeds = hako::fuzz::chat_parse_seeds(hako::test::testdata_dir());
  // 20 hand-made + up to 16 turns from each of the ~20 templates with a family.
  EXPECT_GE(seeds.size(), 150u);
  for (const auto& seed : seeds) {
    SCOPED_TRACE(seed.name);
    ASSERT_GE(seed.bytes.size(), 3u);
    EXPECT_EQ(run(seed.bytes), 0);
    // The same text in 1-byte pieces, in pieces of up to 4 and 128 bytes,
    // with the other whitespace mode and cut anywhere / at characters.
    for (uint8_t split : {0x00, 0x5a, 0x27}) {
      std::string variant = seed.bytes;
      variant[1] = char(uint8_t(variant[1]) ^ hako::fuzz::kChatKeepSpace ^
                        (split == 0x5a ? hako::fuzz::kChatAligned : 0));
      variant[2] = char(split);
      EXPECT_EQ(run(variant), 0);
    }
  }
}

TEST(ChatParseFuzzReplay, Regressions) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(HAKO_CHAT_PARSE_REGRESSIONS)) {
    if (!entry.is_regular_file()) continue;
    SCOPED_TRACE(entry.path().string());
    EXPECT_EQ(run(hako::test::read_file(entry.path().string())), 0);
    ++n;
  }
  EXPECT_GE(n, 1u);
}

}  // namespace
