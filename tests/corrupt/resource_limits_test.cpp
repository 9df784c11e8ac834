// Bounded resources on hostile files: each file claims sizes that would need
// far more than 4 GiB (2^60 tensors, a 2^62-byte string, a 4M-token
// vocabulary, 1024 layers, ...). Model loading in a child process limited to
// 4 GiB of address space (RLIMIT_AS), and `hako inspect` / `hako logits` run
// the same way, must fail with one hako::Error line — exit status 1 for the
// CLI — within a few seconds, never crash or run out of memory.
// Sanitizer builds reserve terabytes of shadow memory, so there the limit is
// not set (the checks still run); so it is under qemu-user (cross builds),
// which reserves the guest's address space itself.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "corrupt/child_process.h"
#include "corrupt/hostile_models.h"
#include "hako/model.h"

namespace hako {
namespace {

namespace fs = std::filesystem;
using test::ChildResult;

constexpr double kMaxSeconds = 5.0;

#if defined(HAKO_TEST_NO_RLIMIT)
constexpr test::ChildLimits kLimits{};
#else
constexpr test::ChildLimits kLimits{.address_space_bytes = uint64_t{4} << 30};
#endif

class ResourceLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::temp_path("resource_limits");
    fs::create_directories(dir_);
    files_ = test::write_hostile_headers(dir_);
    const auto models = test::write_hostile_hparams(dir_);
    files_.insert(files_.end(), models.begin(), models.end());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path_of(const test::HostileFile& f) const { return dir_ + "/" + f.name + ".gguf"; }

  std::string dir_;
  std::vector<test::HostileFile> files_;
};

// Exit codes of the in-process child.
constexpr int kChildOk = 0, kChildLoaded = 2, kChildOther = 3, kChildWrong = 4;

TEST_F(ResourceLimits, LoadingFailsCleanlyUnderAddressSpaceLimit) {
  for (const test::HostileFile& f : files_) {
    const std::string path = path_of(f);
    const ChildResult r = test::run_child([&] {
      try {
        (void)Model::load(path, LoadOptions{});
        return kChildLoaded;
      } catch (const Error& e) {
        const std::string msg = e.what();
        std::fprintf(stderr, "%s\n", e.what());
        const bool ok = msg.find(f.expected) != std::string::npos && msg.find('\n') == std::string::npos;
        return ok ? kChildOk : kChildWrong;
      } catch (const std::exception& e) {
        std::fprintf(stderr, "not a hako::Error: %s\n", e.what());
        return kChildOther;
      }
    }, kLimits);
    ASSERT_TRUE(r.exited()) << f.name << ": child died, status " << r.status << "\n" << r.stderr_text;
    EXPECT_EQ(r.exit_code(), kChildOk)
        << f.name << ": expected an error containing '" << f.expected << "', got: " << r.stderr_text;
    EXPECT_LT(r.seconds, kMaxSeconds) << f.name;
  }
}

// The limit itself leaves room for a real model: the unchanged reference loads.
TEST_F(ResourceLimits, ValidModelLoadsUnderTheSameLimit) {
  const std::string path = dir_ + "/valid.gguf";
  test::write_llama_variant(path, {});
  const ChildResult r = test::run_child([&] {
    try {
      (void)Model::load(path, LoadOptions{});
      return kChildOk;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return kChildOther;
    }
  }, kLimits);
  ASSERT_TRUE(r.exited()) << r.stderr_text;
  EXPECT_EQ(r.exit_code(), kChildOk) << r.stderr_text;
}

// `hako <args...> FILE` under the limit: exit status 1, exactly one stderr
// line "hako: error: FILE: ..." containing the expected text.
void expect_cli_fails_cleanly(std::vector<std::string> command, const std::vector<std::string>& args,
                              const std::string& path, const test::HostileFile& f) {
  command.insert(command.end(), args.begin(), args.end());
  command.push_back(path);
  const ChildResult r = test::run_command(command, kLimits);
  const std::string& err = r.stderr_text;
  ASSERT_TRUE(r.exited()) << f.name << ": hako died, status " << r.status << "\n" << err;
  EXPECT_EQ(r.exit_code(), 1) << f.name << ": " << err;
  EXPECT_EQ(err.rfind("hako: error: " + path + ": ", 0), 0u) << f.name << ": " << err;
  EXPECT_NE(err.find(f.expected), std::string::npos) << f.name << ": " << err;
  EXPECT_EQ(err.find('\n'), err.size() - 1) << f.name << ": not one line: " << err;
  EXPECT_LT(r.seconds, kMaxSeconds) << f.name;
}

TEST_F(ResourceLimits, CliFailsCleanlyUnderAddressSpaceLimit) {
  const std::vector<std::string> hako = test::hako_command();
  if (hako.empty()) GTEST_SKIP() << "HAKO_BIN not set";
  const fs::path out = fs::path(dir_) / "logits.f32";
  for (const test::HostileFile& f : files_) {
    const std::string path = path_of(f);
    const bool header_only = f.expected.find("tensor '") == std::string::npos;
    if (header_only) expect_cli_fails_cleanly(hako, {"inspect"}, path, f);
    expect_cli_fails_cleanly(hako, {"logits", "--tokens", "1", "--out", out.string(), "-m"}, path, f);
    EXPECT_FALSE(fs::exists(out)) << f.name << ": a failed run left " << out;
    EXPECT_FALSE(fs::exists(out.string() + ".tmp")) << f.name;
  }
}

}  // namespace
}  // namespace hako
