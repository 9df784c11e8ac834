// Error helpers: kind names, context chaining, assertion failure reporting.
#include "base/error.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace hako {

std::string_view to_string(ErrorKind kind) {
  static constexpr std::array<std::string_view, 5> kNames = {
      "invalid argument", "i/o error", "format error", "unsupported", "limit exceeded"};
  const auto idx = static_cast<size_t>(kind);
  return idx < kNames.size() ? kNames[idx] : "error";
}

void rethrow_with_context(const Error& e, std::string_view context) {
  throw Error(e.kind(), std::string(context) + ": " + e.what());
}

void assert_fail(const char* expr, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "hako: internal error: %s:%d: assertion '%s' failed%s%s\n", file, line,
               expr, msg ? ": " : "", msg ? msg : "");
  std::abort();
}

}  // namespace hako
