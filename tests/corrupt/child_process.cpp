// Child processes with resource limits (see child_process.h).
#include "corrupt/child_process.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hako::test {
namespace {

// In the child, before running anything: exits 90 if a limit cannot be set.
void apply_limits(const ChildLimits& limits) {
  const auto set = [](int resource, uint64_t bytes) {
    if (bytes == 0) return;
    const rlimit lim{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
    if (::setrlimit(resource, &lim) != 0) ::_exit(90);
  };
  set(RLIMIT_AS, limits.address_space_bytes);
  if (limits.file_size_bytes != 0) std::signal(SIGXFSZ, SIG_IGN);
  set(RLIMIT_FSIZE, limits.file_size_bytes);
}

}  // namespace

bool ChildResult::exited() const { return WIFEXITED(status); }
int ChildResult::exit_code() const { return WEXITSTATUS(status); }

ChildResult run_child(const std::function<int()>& fn, const ChildLimits& limits) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    ::dup2(fds[1], 2);
    apply_limits(limits);
    ::_exit(fn());
  }
  ::close(fds[1]);
  ChildResult r;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) {
    r.stderr_text.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  ::waitpid(pid, &r.status, 0);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

ChildResult run_command(const std::vector<std::string>& argv, const ChildLimits& limits) {
  std::vector<std::string> args = argv;  // execv wants char*; copies made before fork
  std::vector<char*> ptrs;
  for (std::string& a : args) ptrs.push_back(a.data());
  ptrs.push_back(nullptr);
  return run_child(
      [&] {
        ::execvp(ptrs[0], ptrs.data());
        return 91;  // exec failed
      },
      limits);
}

std::vector<std::string> hako_command() {
  std::vector<std::string> words;
  const char* env = std::getenv("HAKO_BIN");
  std::istringstream in(env != nullptr ? env : "");
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace hako::test
