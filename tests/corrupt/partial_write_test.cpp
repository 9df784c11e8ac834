// Commands that write files leave nothing half-written when they fail: run
// under a small RLIMIT_FSIZE (the disk "fills up" mid-write), `hako logits
// --out` and `hako synth -o` must exit 1 with one error line, leave no
// temporary file behind, and leave an existing output file untouched (they
// write <path>.tmp and rename it over <path> only when complete).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "corrupt/child_process.h"
#include "corrupt/hostile_models.h"
#include "support/testdata.h"

namespace hako {
namespace {

namespace fs = std::filesystem;

class PartialWrite : public ::testing::Test {
 protected:
  void SetUp() override {
    hako_ = test::hako_command();
    if (hako_.empty()) GTEST_SKIP() << "HAKO_BIN not set";
    dir_ = test::temp_path("partial_write");
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  // Runs hako with args under a file-size limit; expects failure that names
  // `out` and leaves `out` as it was and no `out`.tmp.
  void expect_clean_failure(std::vector<std::string> args, const std::string& out,
                            uint64_t file_size_limit) {
    std::ofstream(out) << "previous contents";
    args.insert(args.begin(), hako_.begin(), hako_.end());
    const test::ChildResult r = test::run_command(args, {.file_size_bytes = file_size_limit});
    ASSERT_TRUE(r.exited()) << "died, status " << r.status << ": " << r.stderr_text;
    EXPECT_EQ(r.exit_code(), 1) << r.stderr_text;
    EXPECT_EQ(r.stderr_text.rfind("hako: error: ", 0), 0u) << r.stderr_text;
    EXPECT_NE(r.stderr_text.find(out), std::string::npos) << r.stderr_text;
    EXPECT_EQ(r.stderr_text.find('\n'), r.stderr_text.size() - 1) << "one line: " << r.stderr_text;
    EXPECT_EQ(slurp(out), "previous contents");
    EXPECT_FALSE(fs::exists(out + ".tmp"));
  }

  std::vector<std::string> hako_;  // the command that runs hako
  std::string dir_;
};

// One token's logits are 1024 floats = 4096 bytes; the limit allows 1024.
TEST_F(PartialWrite, LogitsOutputIsAllOrNothing) {
  const std::string model = test::testdata_path("reference/llama/model.gguf");
  const std::string out = dir_ + "/logits.f32";
  expect_clean_failure({"logits", "-m", model, "--tokens", "1", "--out", out}, out, 1024);
  // The same command with room to write succeeds and replaces the file.
  std::vector<std::string> args = hako_;
  args.insert(args.end(), {"logits", "-m", model, "--tokens", "1", "--out", out});
  const test::ChildResult ok = test::run_command(args, {.file_size_bytes = 1 << 20});
  ASSERT_TRUE(ok.exited() && ok.exit_code() == 0) << ok.stderr_text;
  EXPECT_EQ(fs::file_size(out), 1024u * 4u);
  EXPECT_FALSE(fs::exists(out + ".tmp"));
}

// The header alone (a 151936-token vocabulary) is larger than the limit.
TEST_F(PartialWrite, SynthOutputIsAllOrNothing) {
  const std::string out = dir_ + "/synth.gguf";
  expect_clean_failure({"synth", "--shape", "qwen3-0.6b", "--type", "q8_0", "-o", out}, out,
                       64 << 10);
}

}  // namespace
}  // namespace hako
