// `hako template` end to end: for one case of each of a few templates from
// ../shared/testdata/templates/expected, the binary prints exactly the
// reference rendering (byte for byte: nothing added, no trailing newline);
// a template that raises gives one error line and exit status 1.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <string>

#include <nlohmann/json.hpp>

#include "support/testdata.h"

namespace hako {
namespace {

struct CmdResult {
  int status = -1;
  std::string out;
};

CmdResult run_cmd(const std::string& cmd) {
  CmdResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

nlohmann::ordered_json find_case(const std::string& name, const std::string& case_name) {
  std::istringstream lines(test::read_file(test::testdata_path("templates/expected/" + name + ".jsonl")));
  for (std::string line; std::getline(lines, line);) {
    auto c = nlohmann::ordered_json::parse(line);
    if (c["case"] == case_name) return c;
  }
  ADD_FAILURE() << "no case " << case_name << " for " << name;
  return {};
}

class CliTemplate : public testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("HAKO_BIN");
    if (bin == nullptr) GTEST_SKIP() << "HAKO_BIN not set (the hako binary is not built)";
    bin_ = bin;
  }
  std::string write_case(const nlohmann::ordered_json& c) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("hako_cli_template_" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(path) << c.dump();
    return path;
  }
  std::string bin_;
};

TEST_F(CliTemplate, PrintsExactlyTheReferencePrompt) {
  const std::pair<const char*, const char*> picks[] = {
      {"Qwen3.5-4B", "e-tools"},
      {"openai-gpt-oss-120b", "d-reasoning-history"},  // uses strftime_now
      {"google-gemma-4-31B-it", "f-unicode-quotes"},
      {"meetkai-functionary-medium-v3.1", "e-tools"},  // Markup escaping
  };
  for (const auto& [name, case_name] : picks) {
    SCOPED_TRACE(std::string(name) + " " + case_name);
    const auto c = find_case(name, case_name);
    const std::string input = write_case(c);
    const CmdResult r = run_cmd("'" + bin_ + "' template --template '" + test::testdata_path(std::string("templates/") + name + ".jinja") +
                      "' --input '" + input + "' --now '2025-06-15 10:30:00'");
    std::filesystem::remove(input);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, c["output"].get<std::string>());
  }
}

TEST_F(CliTemplate, TemplateErrorIsOneLineAndStatusOne) {
  const auto c = find_case("google-gemma-2-2b-it", "b-multi-turn");  // raises "System role not supported"
  const std::string input = write_case(c);
  const CmdResult r = run_cmd("'" + bin_ + "' template --template '" + test::testdata_path("templates/google-gemma-2-2b-it.jinja") +
                    "' --input '" + input + "' 2>&1");
  std::filesystem::remove(input);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("TemplateError: System role not supported"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << r.out;
}

}  // namespace
}  // namespace hako
