// Running a function or a command in a forked child process with resource
// limits (address space, file size), collecting its stderr, exit status and
// wall time. For tests that must survive what they provoke: out-of-memory,
// a full disk, a crash. POSIX only (fork, setrlimit, execv).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace hako::test {

struct ChildLimits {
  uint64_t address_space_bytes = 0;  // RLIMIT_AS; 0 = inherited
  uint64_t file_size_bytes = 0;      // RLIMIT_FSIZE (SIGXFSZ ignored, so writes fail with EFBIG); 0 = inherited
};

struct ChildResult {
  int status = -1;           // raw waitpid status
  std::string stderr_text;   // everything the child wrote to stderr
  double seconds = 0;        // wall time from fork to exit

  bool exited() const;       // false if killed by a signal
  int exit_code() const;     // valid if exited()
};

// Runs fn() in a child under `limits`; fn's return value is the exit code.
ChildResult run_child(const std::function<int()>& fn, const ChildLimits& limits);

// Runs argv[0] (searched in PATH unless it has a '/') with arguments
// argv[1..] the same way.
ChildResult run_command(const std::vector<std::string>& argv, const ChildLimits& limits);

// The words of $HAKO_BIN, the command that runs the hako binary (tests/corrupt
// CMakeLists.txt sets it: the binary's path, or "qemu-aarch64 -L <root> <path>"
// in a cross build); empty if unset.
std::vector<std::string> hako_command();

}  // namespace hako::test
