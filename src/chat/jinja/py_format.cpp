// Python string formatting (see py_format.h).
#include "chat/jinja/py_format.h"

#include <cmath>
#include <cstdio>

#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {
namespace {

struct Spec {
  char fill = ' ';
  char align = 0;   // '<', '>', '^', '=' or 0
  char sign = '-';  // '+', '-', ' '
  bool alt = false;
  bool zero = false;
  int width = -1;
  int precision = -1;
  char type = 0;
};

std::string pad(const std::string& body, const Spec& spec, char default_align) {
  const size_t len = unicode::length(body);
  if (spec.width < 0 || len >= static_cast<size_t>(spec.width)) return body;
  const size_t n = static_cast<size_t>(spec.width) - len;
  const char align = spec.align ? spec.align : default_align;
  std::string fill(1, spec.fill);
  auto fills = [&](size_t k) {
    std::string s;
    for (size_t i = 0; i < k; ++i) s += fill;
    return s;
  };
  if (align == '<') return body + fills(n);
  if (align == '^') return fills(n / 2) + body + fills(n - n / 2);
  if (align == '=' && !body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) {
    return body.substr(0, 1) + fills(n) + body.substr(1);
  }
  return fills(n) + body;
}

double to_real(const Value& v, char conv) {
  if (v.is_number()) return v.as_double();
  throw_type_error(std::string("%") + conv + " format: a real number is required, not " + std::string(type_name(v)));
}

int64_t to_integer(const Value& v, char conv) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_float()) {
    const double d = v.as_double();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) throw_error(ErrorClass::kOverflowError, "cannot convert float to integer");
    return static_cast<int64_t>(d);
  }
  throw_type_error(std::string("%") + conv + " format: a real number is required, not " + std::string(type_name(v)));
}

std::string format_number(const Value& v, const Spec& spec) {
  char conv = spec.type;
  char buf[512];
  std::string flags;
  if (spec.sign == '+' || spec.sign == ' ') flags += spec.sign;
  if (spec.alt) flags += '#';
  const int prec = spec.precision;
  switch (conv) {
    case 'd': case 'i': case 'u': {
      std::snprintf(buf, sizeof buf, ("%" + flags + "lld").c_str(), static_cast<long long>(to_integer(v, conv)));
      return buf;
    }
    case 'x': case 'X': case 'o': {
      const int64_t i = to_integer(v, conv);
      std::snprintf(buf, sizeof buf, ("%" + flags + "ll" + conv).c_str(), static_cast<unsigned long long>(i < 0 ? -i : i));
      std::string s = buf;
      if (conv == 'o' && spec.alt) s = "0o" + s.substr(s[0] == '0' && s.size() > 1 ? 1 : 0);
      return (i < 0 ? "-" : "") + s;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
      double d = to_real(v, conv);
      if (conv == '%') d *= 100.0;
      const char c = conv == '%' ? 'f' : conv;
      std::snprintf(buf, sizeof buf, ("%" + flags + "." + std::to_string(prec < 0 ? 6 : std::min(prec, 100)) + c).c_str(), d);
      return std::string(buf) + (conv == '%' ? "%" : "");
    }
    default:
      throw_error(ErrorClass::kValueError, std::string("unsupported format character '") + conv + "'");
  }
}

// One conversion of printf-style formatting.
std::string convert_percent(const Value& v, Spec spec) {
  std::string body;
  switch (spec.type) {
    case 's': body = to_str(v); break;
    case 'r': case 'a': body = repr(v); break;
    case 'c':
      if (v.is_string() && unicode::length(v.as_string()) == 1) {
        body = v.as_string();
      } else if (v.is_int()) {
        unicode::append_utf8(body, static_cast<char32_t>(v.as_int()));
      } else {
        throw_type_error("%c requires int or char");
      }
      break;
    default:
      body = format_number(v, spec);
  }
  if (spec.precision >= 0 && (spec.type == 's' || spec.type == 'r' || spec.type == 'a')) {
    body = body.substr(0, unicode::byte_offset(body, static_cast<size_t>(spec.precision)));
  }
  if (spec.zero && spec.align == 0 && spec.type != 's' && spec.type != 'r') {
    spec.fill = '0';
    spec.align = '=';
  }
  return pad(body, spec, '>');
}

}  // namespace

std::string percent_format(const std::string& fmt, const Value& args) {
  std::vector<Value> positional;
  const DictData* mapping = args.is_dict() ? &args.dict_data() : nullptr;
  // Python treats any right operand with __getitem__ (other than tuple and
  // str) as a mapping: then unused arguments are not an error.
  const bool mapping_like = mapping != nullptr || args.is_list() || args.is_undefined();
  if (args.is_tuple()) {
    positional = args.list_data().items;
  } else {
    positional.push_back(args);
  }
  size_t next_arg = 0;
  bool used_mapping = false;
  auto take = [&]() -> Value {
    if (next_arg >= positional.size()) throw_type_error("not enough arguments for format string");
    return positional[next_arg++];
  };
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out.push_back(fmt[i]);
      continue;
    }
    if (++i >= fmt.size()) throw_error(ErrorClass::kValueError, "incomplete format");
    std::optional<Value> keyed;
    if (fmt[i] == '(') {
      const size_t close = fmt.find(')', i);
      if (close == std::string::npos) throw_error(ErrorClass::kValueError, "incomplete format key");
      if (args.is_undefined()) raise_undefined(args);
      if (args.is_list()) throw_type_error("list indices must be integers or slices, not str");
      if (mapping == nullptr) throw_type_error("format requires a mapping");
      const Value* v = mapping->find(std::string_view(fmt).substr(i + 1, close - i - 1));
      if (v == nullptr) throw_error(ErrorClass::kValueError, "KeyError: " + fmt.substr(i + 1, close - i - 1));
      keyed = *v;
      used_mapping = true;
      i = close + 1;
    }
    Spec spec;
    for (; i < fmt.size(); ++i) {
      const char c = fmt[i];
      if (c == '-') spec.align = '<';
      else if (c == '+' || c == ' ') spec.sign = c;
      else if (c == '#') spec.alt = true;
      else if (c == '0') spec.zero = true;
      else break;
    }
    auto number = [&](int& dst) {
      if (i < fmt.size() && fmt[i] == '*') {
        const Value w = take();
        if (!w.is_int()) throw_type_error("* wants int");
        dst = static_cast<int>(std::min<int64_t>(std::max<int64_t>(w.as_int(), 0), 1 << 20));
        ++i;
        return;
      }
      int n = -1;
      while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') n = std::min((n < 0 ? 0 : n) * 10 + (fmt[i++] - '0'), 1 << 20);
      if (n >= 0) dst = n;
    };
    number(spec.width);
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      spec.precision = 0;
      number(spec.precision);
    }
    while (i < fmt.size() && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L')) ++i;
    if (i >= fmt.size()) throw_error(ErrorClass::kValueError, "incomplete format");
    spec.type = fmt[i];
    if (spec.type == '%') {
      out.push_back('%');
      continue;
    }
    out += convert_percent(keyed ? *keyed : take(), spec);
  }
  if (!used_mapping && !mapping_like && next_arg < positional.size()) {
    throw_type_error("not all arguments converted during string formatting");
  }
  return out;
}

namespace {

Spec parse_spec(std::string_view s) {
  Spec spec;
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (s.size() >= 2 && is_align(s[1])) {
    spec.fill = s[0];
    spec.align = s[1];
    i = 2;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
  if (i < s.size() && s[i] == '#') {
    spec.alt = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    spec.zero = true;
    ++i;
  }
  int w = -1;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') w = std::min((w < 0 ? 0 : w) * 10 + (s[i++] - '0'), 1 << 20);
  spec.width = w;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int p = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') p = std::min(p * 10 + (s[i++] - '0'), 1 << 20);
    spec.precision = p;
  }
  if (i < s.size()) spec.type = s[i++];
  if (i != s.size()) throw_error(ErrorClass::kValueError, "Invalid format specifier");
  return spec;
}

std::string apply_spec(const Value& v, std::string_view spec_text) {
  Spec spec = parse_spec(spec_text);
  if (spec.zero && spec.align == 0) {
    spec.fill = '0';
    spec.align = '=';
  }
  if (v.is_string() || spec.type == 's') {
    if (!v.is_string()) throw_error(ErrorClass::kValueError, "Unknown format code 's' for object of type '" + std::string(type_name(v)) + "'");
    std::string body = v.as_string();
    if (spec.precision >= 0) body = body.substr(0, unicode::byte_offset(body, static_cast<size_t>(spec.precision)));
    return pad(body, spec, '<');
  }
  if (v.is_number()) {
    if (spec.type == 0) {
      if (v.is_float() && spec.precision >= 0) {
        spec.type = 'g';
      } else {
        return pad(v.is_bool() ? std::string(v.as_bool() ? "True" : "False") : to_str(v), spec, '>');
      }
    }
    return pad(format_number(v, spec), spec, '>');
  }
  return pad(to_str(v), spec, '<');
}

}  // namespace

std::string brace_format(const std::string& fmt, const CallArgs& args) {
  std::string out;
  size_t auto_index = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    const char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') ++i;
      else throw_error(ErrorClass::kValueError, "Single '}' encountered in format string");
      out.push_back('}');
      continue;
    }
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out.push_back('{');
      ++i;
      continue;
    }
    const size_t close = fmt.find('}', i);
    if (close == std::string::npos) throw_error(ErrorClass::kValueError, "Single '{' encountered in format string");
    std::string_view field(fmt.data() + i + 1, close - i - 1);
    std::string_view spec;
    if (const size_t colon = field.find(':'); colon != std::string_view::npos) {
      spec = field.substr(colon + 1);
      field = field.substr(0, colon);
    }
    if (const size_t bang = field.find('!'); bang != std::string_view::npos) field = field.substr(0, bang);
    Value v;
    if (field.empty() || (field[0] >= '0' && field[0] <= '9')) {
      size_t index = auto_index++;
      if (!field.empty()) index = static_cast<size_t>(std::stoul(std::string(field.substr(0, 6))));
      if (index >= args.args.size()) {
        throw_error(ErrorClass::kValueError, "Replacement index " + std::to_string(index) + " out of range for positional args tuple");
      }
      v = args.args[index];
    } else {
      bool found = false;
      for (const auto& [k, val] : args.kwargs) {
        if (k == field) {
          v = val;
          found = true;
        }
      }
      if (!found) throw_error(ErrorClass::kValueError, "KeyError: '" + std::string(field) + "'");
    }
    out += apply_spec(v, spec);
    i = close;
  }
  return out;
}

}  // namespace hako::jinja
