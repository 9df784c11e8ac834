// Replays inputs through the jinja_fuzz libFuzzer target's entry point in a
// normal test binary (the suite's own sanitizers, no libFuzzer): every real
// template of ../shared/testdata/templates and every past fuzzer finding or
// hand-made hostile template in tests/chat/jinja_fuzz_regressions/. Each must
// parse and render (or throw hako::Error) without crashing, and quickly.
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/testdata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

size_t replay_folder(const fs::path& dir) {
  size_t n = 0;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jinja") files.push_back(entry.path());
  }
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    const std::string bytes = hako::test::read_file(path.string());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 10.0);
    ++n;
  }
  return n;
}

TEST(JinjaFuzzReplay, RealTemplates) {
  EXPECT_GE(replay_folder(hako::test::testdata_path("templates")), 50u);
}

TEST(JinjaFuzzReplay, Regressions) {
  EXPECT_GE(replay_folder(fs::path(HAKO_JINJA_REGRESSIONS)), 1u);
}

}  // namespace
