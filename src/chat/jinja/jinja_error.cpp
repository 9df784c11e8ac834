// jinja::TemplateError formatting (see jinja_error.h).
#include "chat/jinja/jinja_error.h"

#include <utility>

namespace hako::jinja {
namespace {

ErrorKind kind_for(ErrorClass cls) {
  switch (cls) {
    case ErrorClass::kTemplateSyntaxError: return ErrorKind::kFormat;
    case ErrorClass::kLimitError: return ErrorKind::kLimit;
    default: return ErrorKind::kInvalidArgument;
  }
}

}  // namespace

std::string_view to_string(ErrorClass c) {
  switch (c) {
    case ErrorClass::kTemplateSyntaxError: return "TemplateSyntaxError";
    case ErrorClass::kTemplateError: return "TemplateError";
    case ErrorClass::kTemplateRuntimeError: return "TemplateRuntimeError";
    case ErrorClass::kUndefinedError: return "UndefinedError";
    case ErrorClass::kSecurityError: return "SecurityError";
    case ErrorClass::kTypeError: return "TypeError";
    case ErrorClass::kValueError: return "ValueError";
    case ErrorClass::kAttributeError: return "AttributeError";
    case ErrorClass::kIndexError: return "IndexError";
    case ErrorClass::kKeyError: return "KeyError";
    case ErrorClass::kZeroDivisionError: return "ZeroDivisionError";
    case ErrorClass::kOverflowError: return "OverflowError";
    case ErrorClass::kLimitError: return "LimitError";
  }
  return "Error";
}

TemplateError::TemplateError(ErrorClass cls, std::string message, SourcePos pos)
    : Error(kind_for(cls), message), cls_(cls), message_(std::move(message)), pos_(pos) {
  format();
}

void TemplateError::set_pos_if_unknown(SourcePos pos) {
  if (has_pos() || pos.line <= 0) return;
  pos_ = pos;
  format();
}

void TemplateError::format() {
  formatted_.clear();
  if (has_pos()) {
    formatted_ += "template:" + std::to_string(pos_.line) + ":" + std::to_string(pos_.col) + ": ";
  }
  formatted_ += to_string(cls_);
  formatted_ += ": ";
  formatted_ += message_;
}

std::string cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

void throw_error(ErrorClass cls, std::string message) {
  throw TemplateError(cls, std::move(message));
}

void throw_type_error(std::string message) {
  throw TemplateError(ErrorClass::kTypeError, std::move(message));
}

void throw_syntax_error(std::string message, SourcePos pos) {
  throw TemplateError(ErrorClass::kTemplateSyntaxError, std::move(message), pos);
}

}  // namespace hako::jinja
