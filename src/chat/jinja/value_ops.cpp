// Python semantics of jinja::Value (see value_ops.h).
#include "chat/jinja/value_ops.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "chat/jinja/unicode.h"

namespace hako::jinja {
namespace {

int sign(double d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); }

bool sequences_equal(const std::vector<Value>& a, const std::vector<Value>& b) {
  if (a.size() != b.size()) return false;
  ValueDepthGuard guard;
  charge_value_work(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (!equals(a[i], b[i])) return false;
  }
  return true;
}

bool dicts_equal(const DictData& a, const DictData& b) {
  if (a.size() != b.size()) return false;
  ValueDepthGuard guard;
  charge_value_work(a.size());
  for (const auto& [k, v] : a.entries()) {
    const Value* other = b.find(k);
    if (other == nullptr || !equals(v, *other)) return false;
  }
  return true;
}

void append_hex(std::string& out, const char* prefix, unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%0*x", prefix, digits, value);
  out += buf;
}

// Containers whose repr is in progress on this thread: a container met
// again inside its own repr prints as [...], {...} or (...) like Python.
thread_local std::vector<const void*> t_repr_stack;

class ReprEnter {
 public:
  explicit ReprEnter(const void* id) {
    for (const void* p : t_repr_stack) {
      if (p == id) {
        recursive_ = true;
        return;
      }
    }
    t_repr_stack.push_back(id);
  }
  ~ReprEnter() {
    if (!recursive_) t_repr_stack.pop_back();
  }
  ReprEnter(const ReprEnter&) = delete;
  ReprEnter& operator=(const ReprEnter&) = delete;
  bool recursive() const { return recursive_; }

 private:
  bool recursive_ = false;
};

std::string repr_sequence(const Value& v) {
  ReprEnter enter(v.identity());
  if (enter.recursive()) return v.is_tuple() ? "(...)" : "[...]";
  ValueDepthGuard guard;
  const auto& items = v.list_data().items;
  charge_value_work(items.size());
  std::string out = v.is_tuple() ? "(" : "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += repr(items[i]);
    check_value_bytes(out.size());
  }
  if (v.is_tuple() && items.size() == 1) out += ",";
  out += v.is_tuple() ? ")" : "]";
  return out;
}

std::string repr_dict(const DictData& d) {
  ReprEnter enter(&d);
  if (enter.recursive()) return "{...}";
  ValueDepthGuard guard;
  charge_value_work(d.size());
  std::string out = "{";
  bool first = true;
  for (const auto& [k, val] : d.entries()) {
    if (!first) out += ", ";
    first = false;
    out += repr(k);
    out += ": ";
    out += repr(val);
    check_value_bytes(out.size());
  }
  out += "}";
  return out;
}

}  // namespace

std::string_view type_name(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kUndefined: return "Undefined";
    case ValueKind::kNone: return "NoneType";
    case ValueKind::kBool: return "bool";
    case ValueKind::kInt: return "int";
    case ValueKind::kFloat: return "float";
    case ValueKind::kString: return v.is_markup() ? "Markup" : "str";
    case ValueKind::kList: return "list";
    case ValueKind::kTuple: return "tuple";
    case ValueKind::kDict: return "dict";
    case ValueKind::kNamespace: return "Namespace";
    case ValueKind::kCallable: return v.callable_ref().type_name();
    case ValueKind::kObject: return v.object_ref().type_name();
    case ValueKind::kIterator: return v.iterator_ref().type_name();
  }
  return "object";
}

std::string object_type_repr(const Value& v) {
  if (v.is_none()) return "None";
  return std::string(type_name(v)) + " object";
}

bool truthy(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kUndefined: case ValueKind::kNone: return false;
    case ValueKind::kBool: return v.as_bool();
    case ValueKind::kInt: return v.as_int() != 0;
    case ValueKind::kFloat: return v.as_double() != 0.0;
    case ValueKind::kString: return !v.as_string().empty();
    case ValueKind::kList: case ValueKind::kTuple: return !v.list_data().items.empty();
    case ValueKind::kDict: return v.dict_data().size() > 0;
    default: return true;
  }
}

bool equals(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_double() == b.as_double();
    return a.as_int() == b.as_int();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kUndefined: case ValueKind::kNone: return true;
    case ValueKind::kString: return a.as_string() == b.as_string();
    case ValueKind::kList: case ValueKind::kTuple:
      return a.identity() == b.identity() || sequences_equal(a.list_data().items, b.list_data().items);
    case ValueKind::kDict:
      return a.identity() == b.identity() || dicts_equal(a.dict_data(), b.dict_data());
    default: return a.identity() == b.identity();
  }
}

int compare(const Value& a, const Value& b, std::string_view op) {
  if (a.is_undefined()) raise_undefined(a);
  if (b.is_undefined()) raise_undefined(b);
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) {
      const double x = a.as_double(), y = b.as_double();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    const int64_t x = a.as_int(), y = b.as_int();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string() && b.is_string()) {
    const int c = a.as_string().compare(b.as_string());  // UTF-8 byte order = code point order
    return sign(c);
  }
  if (a.kind() == b.kind() && a.is_list_or_tuple()) {
    ValueDepthGuard guard;
    const auto& x = a.list_data().items;
    const auto& y = b.list_data().items;
    charge_value_work(std::min(x.size(), y.size()));
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (!equals(x[i], y[i])) return compare(x[i], y[i], op);
    }
    return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
  }
  throw_type_error(cat({"'", op, "' not supported between instances of '", type_name(a), "' and '", type_name(b), "'"}));
}

std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  if (d == 0.0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  // sci = [-]D[.DDDD]e(+|-)XX: split into digits and decimal exponent.
  bool negative = false;
  if (sci.front() == '-') {
    negative = true;
    sci.remove_prefix(1);
  }
  const size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exp10);
  const int decpt = exp10 + 1;  // value = 0.DIGITS * 10^decpt
  std::string out = negative ? "-" : "";
  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out += digits.substr(1);
    }
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    out += eb;
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decpt), '0');
    out += digits;
  } else if (static_cast<size_t>(decpt) >= digits.size()) {
    out += digits;
    out.append(static_cast<size_t>(decpt) - digits.size(), '0');
    out += ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(decpt));
    out += '.';
    out += digits.substr(static_cast<size_t>(decpt));
  }
  return out;
}

std::string string_repr(std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = unicode::decode_next(s, i);
    if (cp == static_cast<char32_t>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      append_hex(out, "\\x", cp, 2);
    } else if (cp < 0x80 || unicode::is_printable(cp)) {
      unicode::append_utf8(out, cp);
    } else if (cp < 0x100) {
      append_hex(out, "\\x", cp, 2);
    } else if (cp < 0x10000) {
      append_hex(out, "\\u", cp, 4);
    } else {
      append_hex(out, "\\U", cp, 8);
    }
  }
  out += quote;
  return out;
}

std::string to_str(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kUndefined: return "";
    case ValueKind::kString: return v.as_string();
    default: return repr(v);
  }
}

std::string repr(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kUndefined: return "Undefined";
    case ValueKind::kNone: return "None";
    case ValueKind::kBool: return v.as_bool() ? "True" : "False";
    case ValueKind::kInt: return std::to_string(v.as_int());
    case ValueKind::kFloat: return float_repr(v.as_double());
    case ValueKind::kString:
      return v.is_markup() ? cat({"Markup(", string_repr(v.as_string()), ")"}) : string_repr(v.as_string());
    case ValueKind::kList: case ValueKind::kTuple: return repr_sequence(v);
    case ValueKind::kDict: return repr_dict(v.dict_data());
    case ValueKind::kNamespace: return "<Namespace " + repr_dict(v.dict_data()) + ">";
    case ValueKind::kCallable: return v.callable_ref().repr();
    case ValueKind::kObject: return v.object_ref().repr();
    case ValueKind::kIterator: return cat({"<", type_name(v), " object>"});
  }
  return "";
}

void require_hashable(const Value& key) {
  switch (key.kind()) {
    case ValueKind::kList: case ValueKind::kDict:
      throw_type_error("unhashable type: '" + std::string(type_name(key)) + "'");
    case ValueKind::kTuple: {
      ValueDepthGuard guard;
      charge_value_work(key.list_data().items.size());
      for (const Value& item : key.list_data().items) require_hashable(item);
      return;
    }
    default:
      return;
  }
}

Value undefined_name(std::string_view name) {
  return Value::undefined(cat({"'", name, "' is undefined"}));
}

Value undefined_attr(const Value& obj, std::string_view attr) {
  return Value::undefined(cat({"'", object_type_repr(obj), "' has no attribute '", attr, "'"}));
}

Value undefined_item(const Value& obj, const Value& key) {
  if (key.is_string()) return undefined_attr(obj, key.as_string());
  return Value::undefined(object_type_repr(obj) + " has no element " + repr(key));
}

void raise_undefined(const Value& v) {
  const UndefinedInfo* info = v.undefined_info();
  if (info == nullptr) throw TemplateError(ErrorClass::kUndefinedError, "'None' is undefined");
  throw TemplateError(info->error_class, info->message);
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace hako::jinja
