// Locates ../shared/testdata for tests: $HAKO_TESTDATA if set, else the
// directory compiled in at configure time (the checkout's ../shared/testdata).
#pragma once

#include <string>

namespace hako::test {

// Absolute or relative path of the testdata root, without a trailing slash.
std::string testdata_dir();
// testdata_dir() + "/" + rel
std::string testdata_path(const std::string& rel);
// Whole file as bytes; throws std::runtime_error if unreadable.
std::string read_file(const std::string& path);

}  // namespace hako::test
