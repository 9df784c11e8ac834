// hako::Error, the one exception type for bad input (files, flags, requests),
// and the always-on / debug-only assertion macros for internal invariants.
// Policy (docs/dev/architecture.md): untrusted input throws Error with a
// one-line message naming the value and what was allowed; invariants use
// HAKO_ASSERT; the hot path neither throws nor returns errors.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace hako {

enum class ErrorKind {
  kInvalidArgument,  // a flag or request field the user gave is wrong
  kIo,               // open/read/write/mmap failed
  kFormat,           // a file's contents are malformed (GGUF, JSON, template)
  kUnsupported,      // well-formed but not supported (architecture, tensor type)
  kLimit,            // a size or count exceeds what hako allows
};

std::string_view to_string(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

// Prefixes context ("loading model.gguf: ") to an Error on the way up.
[[noreturn]] void rethrow_with_context(const Error& e, std::string_view context);

[[noreturn]] void assert_fail(const char* expr, const char* file, int line, const char* msg);

}  // namespace hako

#define HAKO_ASSERT(cond)                                                  \
  do {                                                                     \
    if (!(cond)) ::hako::assert_fail(#cond, __FILE__, __LINE__, nullptr);  \
  } while (0)
#define HAKO_ASSERT_MSG(cond, msg)                                         \
  do {                                                                     \
    if (!(cond)) ::hako::assert_fail(#cond, __FILE__, __LINE__, (msg));    \
  } while (0)
#ifdef NDEBUG
#define HAKO_DASSERT(cond) ((void)0)
#else
#define HAKO_DASSERT(cond) HAKO_ASSERT(cond)
#endif
