// Conformance of the Jinja engine against Python Jinja2 as transformers runs
// it: every case of every ../shared/testdata/templates/expected/<name>.jsonl
// must render to exactly the recorded output, or raise where the reference
// raised (with the same Python exception class). Cases whose reference
// raised SecurityError in the immutable sandbox also carry the output of a
// plain SandboxedEnvironment, which the mutable sandbox must reproduce.
// Prints a pass count per template; any mismatch fails the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/chat_template.h"
#include "chat/jinja/template.h"
#include "support/testdata.h"

namespace hako {
namespace {

using nlohmann::ordered_json;

// The reference's pinned clock: 2025-06-15 10:30:00.
jinja::Options reference_options(jinja::Sandbox sandbox) {
  jinja::Options o;
  o.sandbox = sandbox;
  std::tm tm{};
  tm.tm_year = 2025 - 1900;
  tm.tm_mon = 5;
  tm.tm_mday = 15;
  tm.tm_hour = 10;
  tm.tm_min = 30;
  tm.tm_wday = 0;  // a Sunday
  tm.tm_yday = 165;
  o.fixed_now = tm;
  return o;
}

std::string first_difference(const std::string& want, const std::string& got) {
  size_t i = 0;
  while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
  const size_t from = i > 40 ? i - 40 : 0;
  std::ostringstream ss;
  ss << "first difference at byte " << i << "\n  want: " << ordered_json(want.substr(from, 120)).dump()
     << "\n  got:  " << ordered_json(got.substr(from, 120)).dump();
  return ss.str();
}

// Renders one case; returns "" on success or a description of the mismatch.
std::string check_case(const std::string& source, const ordered_json& c, jinja::Sandbox sandbox,
                       const std::string& output_key) {
  const std::string name = c.value("case", "?");
  std::string got;
  try {
    const auto tmpl = jinja::Template::parse_or_throw(source, reference_options(sandbox));
    got = chat::render_chat_or_throw(tmpl, chat::chat_inputs_from_json_or_throw(c));
  } catch (const jinja::TemplateError& e) {
    if (c.contains(output_key)) return name + ": raised unexpectedly: " + e.what();
    const std::string want = c["error"].get<std::string>();
    const std::string want_class = want.substr(0, want.find(':'));
    if (want_class != jinja::to_string(e.error_class())) {
      return name + ": raised " + e.what() + ", reference raised " + want;
    }
    return "";
  }
  if (!c.contains(output_key)) return name + ": rendered, reference raised " + c["error"].get<std::string>();
  const std::string want = c[output_key].get<std::string>();
  if (got != want) return name + ": " + first_difference(want, got);
  return "";
}

TEST(JinjaConformance, EveryTemplateCaseMatchesJinja2) {
  const std::string dir = test::testdata_path("templates");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/expected")) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 50u) << "expected files missing under " << dir;
  size_t total = 0, passed = 0, mutable_checked = 0;
  std::vector<std::string> failures;
  for (const auto& file : files) {
    const std::string stem = file.stem().string();
    const std::string source = test::read_file(dir + "/" + stem + ".jinja");
    std::istringstream lines(test::read_file(file.string()));
    std::string line;
    size_t n = 0, ok = 0;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      const ordered_json c = ordered_json::parse(line);
      ++n;
      std::string failure = check_case(source, c, jinja::Sandbox::kImmutable, "output");
      if (failure.empty() && c.contains("output_mutable_sandbox")) {
        ++mutable_checked;
        failure = check_case(source, c, jinja::Sandbox::kMutable, "output_mutable_sandbox");
      }
      if (failure.empty()) {
        ++ok;
      } else {
        failures.push_back(stem + " / " + failure);
      }
    }
    std::printf("  %-45s %zu/%zu\n", stem.c_str(), ok, n);
    total += n;
    passed += ok;
  }
  std::printf("  all templates: %zu/%zu cases pass (%zu also checked in the mutable sandbox)\n", passed, total,
              mutable_checked);
  for (const auto& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace hako
