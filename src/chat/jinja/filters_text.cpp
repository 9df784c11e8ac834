// String and number filters, as jinja2/filters.py defines them: trim,
// upper, lower, capitalize, title, replace, indent, center, truncate,
// wordcount, striptags, escape/e/forceescape, safe, string, format, int,
// float, abs, round. Like Jinja2 they call str() on non-string input, and
// keep Markup where markupsafe's soft_str would.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "chat/jinja/builtins_impl.h"
#include "chat/jinja/py_format.h"
#include "chat/jinja/str_ops.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja::detail {
namespace {

Value filter_trim(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_trim", a, {"chars"});
  std::optional<std::string> chars;
  if (b.get(0) && !b.get(0)->is_none()) chars = b.string_or(0, "");
  return Value::string(str_ops::strip(to_str(v), chars, str_ops::StripSide::kBoth), markup_of(v));
}

Value filter_upper(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_upper", a, {});
  return Value::string(unicode::upper(to_str(v)), markup_of(v));
}

Value filter_lower(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_lower", a, {});
  return Value::string(unicode::lower(to_str(v)), markup_of(v));
}

Value filter_capitalize(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_capitalize", a, {});
  return Value::string(str_ops::capitalize(to_str(v)), markup_of(v));
}

Value filter_title(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_title", a, {});
  return Value::string(str_ops::jinja_title(to_str(v)), markup_of(v));
}

Value filter_replace(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_replace", a, {"old", "new", "count"});
  if (!b.get(0) || !b.get(1)) throw_type_error("do_replace() missing required arguments 'old' and 'new'");
  // Jinja2 (autoescape off): str(s).replace(str(old), str(new), count).
  const std::string old_s = to_str(*b.get(0));
  const std::string new_s = to_str(*b.get(1));
  const std::string s = to_str(v);
  const int64_t count = b.int_or(2, -1);
  const size_t n_hits = old_s.empty() ? unicode::length(s) + 1 : static_cast<size_t>(str_ops::count(s, old_s));
  in.charge_bytes(s.size() + n_hits * new_s.size());
  return Value::string(str_ops::replace(s, old_s, new_s, count));
}

Value filter_indent(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_indent", a, {"width", "first", "blank"});
  std::string indention;
  if (b.get(0) && b.get(0)->is_string()) {
    indention = b.get(0)->as_string();
  } else {
    const int64_t w = b.int_or(0, 4);
    in.charge_bytes(static_cast<size_t>(std::max<int64_t>(w, 0)));
    indention.assign(static_cast<size_t>(std::max<int64_t>(w, 0)), ' ');
  }
  const bool first = b.flag(1, false);
  const bool blank = b.flag(2, false);
  // do_indent works on the value itself: `s += "\n"` then s.splitlines().
  if (v.is_undefined()) raise_undefined(v);
  if (v.is_list()) throw_error(ErrorClass::kAttributeError, "'list' object has no attribute 'splitlines'");
  if (!v.is_string()) {
    throw_type_error("unsupported operand type(s) for +=: '" + std::string(type_name(v)) + "' and 'str'");
  }
  const std::string s = v.as_string() + "\n";  // Jinja2's quirk for splitlines
  const std::vector<std::string> lines = str_ops::splitlines(s, str_ops::KeepEnds::kNo);
  in.charge_bytes(s.size() + lines.size() * (indention.size() + 1));
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) rv += "\n" + indention;
      rv += lines[i];
    }
  } else {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) {
        rv += "\n";
        if (!lines[i].empty()) rv += indention;
      }
      rv += lines[i];
    }
  }
  if (first) rv = indention + rv;
  return Value::string(std::move(rv), markup_of(v));
}

Value filter_center(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_center", a, {"width"});
  const int64_t width = b.int_or(0, 80);
  in.charge_bytes(static_cast<size_t>(std::clamp<int64_t>(width, 0, INT64_MAX / 8)) * 4);
  return Value::string(str_ops::pad(to_str(v), width, ' ', str_ops::StripSide::kBoth), markup_of(v));
}

Value filter_truncate(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_truncate", a, {"length", "killwords", "end", "leeway"});
  const int64_t length = b.int_or(0, 255);
  const bool killwords = b.flag(1, false);
  const std::string end = b.string_or(2, "...");
  const int64_t leeway = b.int_or(3, 5);
  const auto end_len = static_cast<int64_t>(unicode::length(end));
  if (length < end_len) throw_error(ErrorClass::kValueError, "expected length >= " + std::to_string(end_len));
  if (leeway < 0) throw_error(ErrorClass::kValueError, "expected leeway >= 0");
  // do_truncate uses the value itself: len(s), then slicing and rsplit.
  int64_t len = 0;
  if (v.is_string()) {
    len = static_cast<int64_t>(unicode::length(v.as_string()));
  } else if (v.is_list_or_tuple()) {
    len = static_cast<int64_t>(v.list_data().items.size());
  } else if (v.is_dict()) {
    len = static_cast<int64_t>(v.dict_data().size());
  } else if (!v.is_undefined()) {
    throw_type_error("object of type '" + std::string(type_name(v)) + "' has no len()");
  }
  if (len <= length + leeway) return v;
  if (!v.is_string()) throw_error(ErrorClass::kAttributeError, "'" + std::string(type_name(v)) + "' object has no attribute 'rsplit'");
  const std::string& s = v.as_string();
  std::string head = s.substr(0, unicode::byte_offset(s, static_cast<size_t>(length - end_len)));
  if (!killwords) {
    const size_t sp = head.rfind(' ');
    if (sp != std::string::npos) head = head.substr(0, sp);
  }
  return Value::string(head + end);
}

Value filter_wordcount(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_wordcount", a, {});
  const std::string s = to_str(v);
  int64_t n = 0;
  bool in_word = false;
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = unicode::decode_next(s, i);
    const bool w = unicode::is_alnum(cp) || cp == '_';
    if (w && !in_word) ++n;
    in_word = w;
  }
  return Value::integer(n);
}

Value filter_striptags(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_striptags", a, {});
  const std::string s = to_str(v);
  std::string text;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 4, "<!--") == 0) {
      const size_t e = s.find("-->", i + 4);
      if (e == std::string::npos) break;
      i = e + 2;
    } else if (s[i] == '<' && s.find('>', i) != std::string::npos) {
      i = s.find('>', i);
    } else {
      text.push_back(s[i]);
    }
  }
  std::string out;
  for (const std::string& w : str_ops::split(text, std::nullopt, -1)) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  out = str_ops::replace(out, "&lt;", "<", -1);
  out = str_ops::replace(out, "&gt;", ">", -1);
  out = str_ops::replace(out, "&#34;", "\"", -1);
  out = str_ops::replace(out, "&quot;", "\"", -1);
  out = str_ops::replace(out, "&#39;", "'", -1);
  return Value::string(str_ops::replace(out, "&amp;", "&", -1));
}

Value filter_escape(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("escape", a, {});
  if (v.is_markup()) return v;
  return Value::string(html_escape(to_str(v)), Markup::kYes);
}

Value filter_forceescape(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_forceescape", a, {});
  return Value::string(html_escape(to_str(v)), Markup::kYes);
}

Value filter_safe(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_mark_safe", a, {});
  return Value::string(to_str(v), Markup::kYes);
}

Value filter_string(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("soft_str", a, {});
  if (v.is_string()) return v;
  return Value::string(to_str(v));
}

Value filter_format(Interpreter& in, const Value& v, CallArgs& a) {
  if (!a.args.empty() && !a.kwargs.empty()) {
    throw_error(ErrorClass::kTemplateRuntimeError, "can't handle positional and keyword arguments at the same time");
  }
  Value args;
  if (!a.kwargs.empty()) {
    args = Value::dict();
    for (auto& [k, val] : a.kwargs) args.dict_data().set(Value::string(k), val);
  } else {
    args = Value::tuple(a.args);
  }
  std::string out = percent_format(to_str(v), args);
  in.charge_bytes(out.size());
  return Value::string(std::move(out), markup_of(v));
}

// Python int(str, base) for the int filter: optional sign, underscores
// between digits, surrounding whitespace; base 0 reads a 0x/0o/0b prefix.
std::optional<int64_t> parse_int(std::string s, int base) {
  s = str_ops::strip(s, std::nullopt, str_ops::StripSide::kBoth);
  bool neg = false;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (base == 0 || base == 16 || base == 8 || base == 2) {
    if (i + 1 < s.size() && s[i] == '0') {
      const char p = static_cast<char>(s[i + 1] | 0x20);
      const int pb = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
      if (pb != 0 && (base == 0 || base == pb)) {
        base = pb;
        i += 2;
      }
    }
    if (base == 0) base = 10;
  }
  std::string digits;
  for (; i < s.size(); ++i) {
    if (s[i] == '_' && !digits.empty() && i + 1 < s.size() && s[i + 1] != '_') continue;
    digits.push_back(s[i]);
  }
  if (digits.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10 : 99;
    if (d >= base) return std::nullopt;
    if (__builtin_mul_overflow(value, base, &value) || __builtin_add_overflow(value, d, &value)) return std::nullopt;
  }
  return neg ? -value : value;
}

std::optional<double> parse_float(const std::string& text) {
  std::string s = str_ops::strip(text, std::nullopt, str_ops::StripSide::kBoth);
  std::string clean;
  for (char c : s) {
    if (c != '_') clean.push_back(c);
  }
  if (clean.empty()) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return std::nullopt;
  // strtod accepts hex floats and "infinity"/"nan" spellings that Python's float() also takes, except hex.
  if (clean.find_first_of("xX") != std::string::npos) return std::nullopt;
  return d;
}

Value filter_int(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_int", a, {"default", "base"});
  const Value fallback = b.get_or(0, Value::integer(0));
  const int64_t base = b.int_or(1, 10);
  if (v.is_undefined()) raise_undefined(v);  // Undefined.__int__ raises
  if (v.is_int()) return v;
  if (v.is_bool()) return Value::integer(v.as_int());
  if (v.is_float()) {
    const double d = v.as_double();
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return fallback;
    return Value::integer(static_cast<int64_t>(d));
  }
  if (v.is_string()) {
    if (base == 0 || (base >= 2 && base <= 36)) {
      if (auto i = parse_int(v.as_string(), static_cast<int>(base))) return Value::integer(*i);
    }
    if (auto d = parse_float(v.as_string())) {
      if (std::isfinite(*d) && std::fabs(*d) < 9.2e18) return Value::integer(static_cast<int64_t>(*d));
    }
  }
  return fallback;
}

Value filter_float(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_float", a, {"default"});
  const Value fallback = b.get_or(0, Value::floating(0.0));
  if (v.is_undefined()) raise_undefined(v);  // Undefined.__float__ raises
  if (v.is_number()) return Value::floating(v.as_double());
  if (v.is_string()) {
    if (auto d = parse_float(v.as_string())) return Value::floating(*d);
  }
  return fallback;
}

Value filter_abs(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("abs", a, {});
  if (v.is_float()) return Value::floating(std::fabs(v.as_double()));
  if (v.is_int() || v.is_bool()) {
    const int64_t i = v.as_int();
    if (i == INT64_MIN) throw_error(ErrorClass::kOverflowError, "integer result does not fit in 64 bits");
    return Value::integer(i < 0 ? -i : i);
  }
  throw_type_error("bad operand type for abs(): '" + std::string(type_name(v)) + "'");
}

// Python round(x, n) for floats: correctly rounded via exact decimal printing.
double py_round(double x, int64_t precision) {
  if (!std::isfinite(x)) return x;
  if (precision > 300) return x;
  if (precision < -300) return 0.0 * x;
  if (precision >= 0) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), x);
    return std::strtod(buf, nullptr);
  }
  const double p = std::pow(10.0, static_cast<double>(-precision));
  return std::nearbyint(x / p) * p;
}

Value filter_round(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_round", a, {"precision", "method"});
  const int64_t precision = b.int_or(0, 0);
  const std::string method = b.string_or(1, "common");
  if (method != "common" && method != "ceil" && method != "floor") {
    throw_error(ErrorClass::kTemplateRuntimeError, "method must be common, ceil or floor");
  }
  if (v.is_undefined() && method != "common") raise_undefined(v);  // value * 10**n raises
  if (!v.is_number()) {
    throw_type_error("type " + std::string(type_name(v)) + " doesn't define __round__ method");
  }
  if (method == "common") {
    if (!v.is_float()) return Value::integer(v.as_int());
    return Value::floating(py_round(v.as_double(), precision));
  }
  const double scale = std::pow(10.0, static_cast<double>(precision));
  const double x = v.as_double() * scale;
  return Value::floating((method == "ceil" ? std::ceil(x) : std::floor(x)) / scale);
}

constexpr FilterEntry kTextFilters[] = {
    {"trim", filter_trim},         {"upper", filter_upper},       {"lower", filter_lower},
    {"capitalize", filter_capitalize}, {"title", filter_title},   {"replace", filter_replace},
    {"indent", filter_indent},     {"center", filter_center},     {"truncate", filter_truncate},
    {"wordcount", filter_wordcount}, {"striptags", filter_striptags}, {"escape", filter_escape},
    {"e", filter_escape},          {"forceescape", filter_forceescape}, {"safe", filter_safe},
    {"string", filter_string},     {"format", filter_format},     {"int", filter_int},
    {"float", filter_float},       {"abs", filter_abs},           {"round", filter_round},
};

}  // namespace

std::span<const FilterEntry> text_filters() { return kTextFilters; }

}  // namespace hako::jinja::detail
