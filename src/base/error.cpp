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
  std::string msg;
  msg.reserve(context.size() + 2 + std::char_traits<char>::length(e.what()));
  msg.append(context).append(": ").append(e.what());
  throw Error(e.kind(), msg);
}

void assert_fail(const char* expr, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "hako: internal error: %s:%d: assertion '%s' failed%s%s\n", file, line,
               expr, msg ? ": " : "", msg ? msg : "");
  std::abort();
}

}  // namespace hako
