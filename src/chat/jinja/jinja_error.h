// jinja::TemplateError: the error every part of the engine throws (a
// hako::Error, so callers need only catch that). It carries the Python/Jinja2
// exception class the reference implementation would raise (so a caller or a
// conformance test can tell "TypeError" from "UndefinedError"), the template
// position of the construct that failed, and the bare message. what() reads
// "<line>:<col>: <Class>: <message>" once a position is known.
// Not here: the places that decide to throw (lexer, parser, evaluator).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "base/error.h"

namespace hako::jinja {

// The exception classes of Jinja2/Python that the engine mirrors.
enum class ErrorClass {
  kTemplateSyntaxError,   // lexer/parser: malformed template
  kTemplateError,         // raise_exception(msg)
  kTemplateRuntimeError,  // e.g. assigning an attribute of a non-namespace
  kUndefinedError,        // using an undefined value beyond printing/testing
  kSecurityError,         // sandbox: list.append in the immutable sandbox ...
  kTypeError,
  kValueError,
  kAttributeError,
  kIndexError,
  kKeyError,
  kZeroDivisionError,
  kOverflowError,
  kLimitError,            // hako's own resource limits (depth, steps, size)
};

std::string_view to_string(ErrorClass c);

struct SourcePos {
  int line = 0;  // 1-based; 0 = unknown
  int col = 0;   // 1-based, in code points
};

class TemplateError : public Error {
 public:
  TemplateError(ErrorClass cls, std::string message, SourcePos pos = {});

  ErrorClass error_class() const { return cls_; }
  const std::string& message() const { return message_; }
  SourcePos pos() const { return pos_; }
  bool has_pos() const { return pos_.line > 0; }
  // Sets the position if none is known yet (the innermost construct wins).
  void set_pos_if_unknown(SourcePos pos);
  const char* what() const noexcept override { return formatted_.c_str(); }

 private:
  void format();

  ErrorClass cls_;
  std::string message_;
  SourcePos pos_;
  std::string formatted_;
};

// Concatenates message parts (also sidesteps GCC 12's -Wrestrict false
// positive on `"literal" + std::string`).
std::string cat(std::initializer_list<std::string_view> parts);

// Shorthands used all over the engine.
[[noreturn]] void throw_error(ErrorClass cls, std::string message);
[[noreturn]] void throw_type_error(std::string message);
[[noreturn]] void throw_syntax_error(std::string message, SourcePos pos);

}  // namespace hako::jinja
