#include "support/testdata.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace hako::test {

std::string testdata_dir() {
  if (const char* env = std::getenv("HAKO_TESTDATA"); env && *env) return env;
  return HAKO_DEFAULT_TESTDATA;
}

std::string testdata_path(const std::string& rel) { return testdata_dir() + "/" + rel; }

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace hako::test
