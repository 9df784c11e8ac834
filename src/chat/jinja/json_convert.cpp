// JSON conversion and the tojson filter (see json_convert.h).
#include "chat/jinja/json_convert.h"

#include <algorithm>
#include <cstdio>

#include "chat/jinja/builtins_impl.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {

Value from_json(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return Value::none();
    case nlohmann::ordered_json::value_t::boolean: return Value::boolean(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return Value::integer(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
      const auto u = j.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) return Value::integer(static_cast<int64_t>(u));
      return Value::floating(static_cast<double>(u));
    }
    case nlohmann::ordered_json::value_t::number_float: return Value::floating(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return Value::string(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
      ValueDepthGuard guard;
      std::vector<Value> items;
      items.reserve(j.size());
      for (const auto& item : j) items.push_back(from_json(item));
      return Value::list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
      ValueDepthGuard guard;
      Value d = Value::dict();
      for (const auto& [k, v] : j.items()) d.dict_data().set(Value::string(k), from_json(v));
      return d;
    }
    default: return Value::none();
  }
}

namespace {

void append_u16(std::string& out, unsigned u) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04x", u);
  out += buf;
}

void dump_string(std::string& out, std::string_view s, bool ensure_ascii) {
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const char32_t cp = unicode::decode_next(s, i);
    switch (cp) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (cp < 0x20) {
      append_u16(out, cp);
    } else if (cp < 0x80 || !ensure_ascii) {
      out.append(s.substr(start, i - start));
    } else if (cp < 0x10000) {
      append_u16(out, cp);
    } else {
      const char32_t v = cp - 0x10000;
      append_u16(out, 0xD800 + (v >> 10));
      append_u16(out, 0xDC00 + (v & 0x3FF));
    }
  }
  out.push_back('"');
}

std::string json_float(double d) {
  if (d != d) return "NaN";
  if (d == 1.0 / 0.0) return "Infinity";
  if (d == -1.0 / 0.0) return "-Infinity";
  return float_repr(d);
}

class Dumper {
 public:
  explicit Dumper(const JsonDumpOptions& o) : o_(o) {}

  void dump(const Value& v, int level) {
    switch (v.kind()) {
      case ValueKind::kNone: out += "null"; return;
      case ValueKind::kBool: out += v.as_bool() ? "true" : "false"; return;
      case ValueKind::kInt: out += std::to_string(v.as_int()); return;
      case ValueKind::kFloat: out += json_float(v.as_double()); return;
      case ValueKind::kString: dump_string(out, v.as_string(), o_.ensure_ascii); return;
      case ValueKind::kList: case ValueKind::kTuple: dump_list(v.list_data().items, level); return;
      case ValueKind::kDict: dump_dict(v.dict_data(), level); return;
      default:
        throw_type_error("Object of type " + std::string(type_name(v)) + " is not JSON serializable");
    }
  }

  std::string out;

 private:
  void newline(int level) {
    if (!o_.indent) return;
    out.push_back('\n');
    for (int i = 0; i < level; ++i) out += *o_.indent;
  }

  void dump_list(const std::vector<Value>& items, int level) {
    ValueDepthGuard guard;
    charge_value_work(items.size());
    if (items.empty()) {
      out += "[]";
      return;
    }
    out.push_back('[');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += o_.item_separator;
      newline(level + 1);
      dump(items[i], level + 1);
      check_value_bytes(out.size());
    }
    newline(level);
    out.push_back(']');
  }

  std::string key_text(const Value& k) {
    switch (k.kind()) {
      case ValueKind::kString: return k.as_string();
      case ValueKind::kInt: return std::to_string(k.as_int());
      case ValueKind::kFloat: return json_float(k.as_double());
      case ValueKind::kBool: return k.as_bool() ? "true" : "false";
      case ValueKind::kNone: return "null";
      default:
        throw_type_error("keys must be str, int, float, bool or None, not " + std::string(type_name(k)));
    }
  }

  void dump_dict(const DictData& d, int level) {
    ValueDepthGuard guard;
    charge_value_work(d.size());
    if (d.size() == 0) {
      out += "{}";
      return;
    }
    std::vector<const std::pair<Value, Value>*> entries;
    for (const auto& e : d.entries()) entries.push_back(&e);
    if (o_.sort_keys) {
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto* a, const auto* b) { return compare(a->first, b->first) < 0; });
    }
    out.push_back('{');
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out += o_.item_separator;
      newline(level + 1);
      dump_string(out, key_text(entries[i]->first), o_.ensure_ascii);
      out += o_.key_separator;
      dump(entries[i]->second, level + 1);
      check_value_bytes(out.size());
    }
    newline(level);
    out.push_back('}');
  }

  const JsonDumpOptions& o_;
};

}  // namespace

std::string dump_json(const Value& v, const JsonDumpOptions& options) {
  Dumper d(options);
  d.dump(v, 0);
  return std::move(d.out);
}

namespace detail {
namespace {

Value filter_tojson(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("tojson", a, {"ensure_ascii", "indent", "separators", "sort_keys"});
  JsonDumpOptions o;
  o.ensure_ascii = b.flag(0, false);
  if (const Value* indent = b.get(1); indent != nullptr && !indent->is_none()) {
    if (indent->is_string()) {
      o.indent = indent->as_string();
    } else {
      const int64_t n = b.int_or(1, 0);
      o.indent = std::string(static_cast<size_t>(std::clamp<int64_t>(n, 0, 1 << 16)), ' ');
    }
    o.item_separator.assign(1, ',');
  }
  if (const Value* sep = b.get(2); sep != nullptr && !sep->is_none()) {
    std::vector<Value> parts = in.iterate(*sep);
    if (parts.size() != 2 || !parts[0].is_string() || !parts[1].is_string()) {
      throw_error(ErrorClass::kValueError, "separators must be a pair of strings");
    }
    o.item_separator = parts[0].as_string();
    o.key_separator = parts[1].as_string();
  }
  o.sort_keys = b.flag(3, false);
  std::string out = dump_json(v, o);
  in.charge_bytes(out.size());
  return Value::string(std::move(out));
}

constexpr FilterEntry kJsonFilters[] = {{"tojson", filter_tojson}};

}  // namespace

std::span<const FilterEntry> json_filters() { return kJsonFilters; }

}  // namespace detail
}  // namespace hako::jinja
