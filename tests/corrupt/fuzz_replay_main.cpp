// Replays inputs through a libFuzzer target's LLVMFuzzerTestOneInput in a
// normal test binary (no libFuzzer, the suite's own sanitizers): every file
// under the folders listed in HAKO_REPLAY_DIRS (';'-separated, compiled in)
// — the regression inputs of past fuzzer findings in
// tests/corrupt/regressions/<target>/ plus that target's testdata seeds.
// A crash, sanitizer report or nonzero return fails the test; a folder with
// no inputs fails too, so the replay cannot silently test nothing.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "support/testdata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

struct ReplayDir {
  fs::path path;
  bool seeds_only;  // a testdata folder: only files ending in HAKO_REPLAY_SUFFIX
};

// "/abs/regressions/gguf_fuzz;@testdata/reference" -> folders; "@testdata/"
// is resolved against the test data folder.
std::vector<ReplayDir> replay_dirs() {
  std::vector<ReplayDir> dirs;
  std::stringstream ss(HAKO_REPLAY_DIRS);
  for (std::string item; std::getline(ss, item, ';');) {
    if (item.rfind("@testdata/", 0) == 0) {
      dirs.push_back({hako::test::testdata_path(item.substr(10)), true});
    } else if (!item.empty()) {
      dirs.push_back({item, false});
    }
  }
  return dirs;
}

bool has_suffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<uint8_t> read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FuzzReplay, EveryInputRunsCleanly) {
  for (const ReplayDir& dir : replay_dirs()) {
    ASSERT_TRUE(fs::is_directory(dir.path)) << dir.path;
    size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path)) {
      if (!entry.is_regular_file()) continue;
      // Seed folders hold other files too (.json, .f32); take inputs only.
      if (dir.seeds_only && !has_suffix(entry.path().string(), HAKO_REPLAY_SUFFIX)) continue;
      const std::vector<uint8_t> bytes = read_bytes(entry.path());
      SCOPED_TRACE(entry.path().string());
      EXPECT_EQ(LLVMFuzzerTestOneInput(bytes.data(), bytes.size()), 0);
      ++n;
    }
    EXPECT_GT(n, 0u) << "no inputs under " << dir.path;
  }
}

}  // namespace
