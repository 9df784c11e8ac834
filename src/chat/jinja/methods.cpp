// Methods of builtin types reachable from templates (s.strip(), s.split(),
// d.items(), d.get(k), l.index(x) ...), mirroring Python 3.11's str, list,
// tuple and dict. items()/keys()/values() return lists (Python returns
// views; they iterate and index alike). Mutating list/dict methods are
// refused in the immutable sandbox exactly where transformers' sandbox
// refuses them: the attribute is an undefined value that raises
// SecurityError when called.
#include <algorithm>
#include <memory>

#include "chat/jinja/builtins_impl.h"
#include "chat/jinja/py_format.h"
#include "chat/jinja/runtime_objects.h"
#include "chat/jinja/str_ops.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {
namespace {

using detail::ArgBinder;
using str_ops::StripSide;

enum class CaseKind : uint8_t { kUpper, kLower };

struct MethodEntry {
  std::string_view name;
  MethodFn fn;
};

const std::string& self_str(const Value& self) { return self.as_string(); }

std::optional<std::string> opt_chars(const ArgBinder& b, size_t i) {
  if (!b.get(i) || b.get(i)->is_none()) return std::nullopt;
  return b.string_or(i, "");
}

Value strip_impl(const Value& self, CallArgs& a, StripSide side, const char* name) {
  ArgBinder b(name, a, {"chars"});
  return Value::string(str_ops::strip(self_str(self), opt_chars(b, 0), side), detail::markup_of(self));
}
Value m_strip(Interpreter&, const Value& s, CallArgs& a) { return strip_impl(s, a, StripSide::kBoth, "strip"); }
Value m_lstrip(Interpreter&, const Value& s, CallArgs& a) { return strip_impl(s, a, StripSide::kLeft, "lstrip"); }
Value m_rstrip(Interpreter&, const Value& s, CallArgs& a) { return strip_impl(s, a, StripSide::kRight, "rstrip"); }

Value strings_to_list(Interpreter& in, std::vector<std::string> parts) {
  in.charge_bytes(parts.size() * sizeof(Value));
  std::vector<Value> out;
  out.reserve(parts.size());
  for (auto& p : parts) out.push_back(Value::string(std::move(p)));
  return Value::list(std::move(out));
}

Value split_impl(Interpreter& in, const Value& s, CallArgs& a, str_ops::SearchFrom from) {
  const bool reverse = from == str_ops::SearchFrom::kEnd;
  ArgBinder b(reverse ? "rsplit" : "split", a, {"sep", "maxsplit"});
  const std::optional<std::string> sep = opt_chars(b, 0);
  const int64_t maxsplit = b.int_or(1, -1);
  return strings_to_list(in, reverse ? str_ops::rsplit(self_str(s), sep, maxsplit) : str_ops::split(self_str(s), sep, maxsplit));
}
Value m_split(Interpreter& in, const Value& s, CallArgs& a) { return split_impl(in, s, a, str_ops::SearchFrom::kStart); }
Value m_rsplit(Interpreter& in, const Value& s, CallArgs& a) { return split_impl(in, s, a, str_ops::SearchFrom::kEnd); }

Value m_splitlines(Interpreter& in, const Value& s, CallArgs& a) {
  ArgBinder b("splitlines", a, {"keepends"});
  return strings_to_list(in, str_ops::splitlines(self_str(s), b.flag(0, false) ? str_ops::KeepEnds::kYes : str_ops::KeepEnds::kNo));
}

enum class Affix : uint8_t { kPrefix, kSuffix };

Value affix_impl(const Value& s, CallArgs& a, Affix affix) {
  const bool suffix = affix == Affix::kSuffix;
  const char* name = suffix ? "endswith" : "startswith";
  ArgBinder b(name, a, {"prefix", "start", "end"});
  if (!b.get(0)) throw_type_error(std::string(name) + "() takes at least 1 argument (0 given)");
  std::vector<std::string> options;
  const Value& p = *b.get(0);
  if (p.is_string()) {
    options.push_back(p.as_string());
  } else if (p.is_tuple()) {
    for (const Value& item : p.list_data().items) {
      if (!item.is_string()) {
        throw_type_error("tuple for " + std::string(name) + " must only contain str, not " + std::string(type_name(item)));
      }
      options.push_back(item.as_string());
    }
  } else {
    throw_type_error(std::string(name) + " first arg must be str or a tuple of str, not " + std::string(type_name(p)));
  }
  std::string_view text = self_str(s);
  if (b.get(1) || b.get(2)) {
    const auto len = static_cast<int64_t>(unicode::length(text));
    auto norm = [&](const Value* v, int64_t fallback) {
      if (v == nullptr || v->is_none()) return fallback;
      int64_t x = v->is_int() || v->is_bool() ? v->as_int() : fallback;
      if (x < 0) x = std::max<int64_t>(0, x + len);
      return std::min(x, len);
    };
    const int64_t st = norm(b.get(1), 0), en = norm(b.get(2), len);
    if (st > en) return Value::boolean(false);
    const size_t bs = unicode::byte_offset(text, static_cast<size_t>(st));
    const size_t be = unicode::byte_offset(text, static_cast<size_t>(en));
    text = text.substr(bs, be - bs);
  }
  for (const std::string& o : options) {
    if (o.size() > text.size()) continue;
    if (suffix ? text.substr(text.size() - o.size()) == o : text.substr(0, o.size()) == o) return Value::boolean(true);
  }
  return Value::boolean(false);
}
Value m_startswith(Interpreter&, const Value& s, CallArgs& a) { return affix_impl(s, a, Affix::kPrefix); }
Value m_endswith(Interpreter&, const Value& s, CallArgs& a) { return affix_impl(s, a, Affix::kSuffix); }

Value m_replace(Interpreter& in, const Value& s, CallArgs& a) {
  ArgBinder b("replace", a, {"old", "new", "count"});
  if (!b.get(0) || !b.get(1)) throw_type_error("replace expected at least 2 arguments");
  const std::string old_s = b.string_or(0, ""), new_s = b.string_or(1, "");
  const std::string& text = self_str(s);
  const size_t hits = old_s.empty() ? unicode::length(text) + 1 : static_cast<size_t>(str_ops::count(text, old_s));
  in.charge_bytes(text.size() + hits * new_s.size());
  return Value::string(str_ops::replace(text, old_s, new_s, b.int_or(2, -1)), detail::markup_of(s));
}

Value m_upper(Interpreter&, const Value& s, CallArgs& a) { ArgBinder b("upper", a, {}); return Value::string(unicode::upper(self_str(s)), detail::markup_of(s)); }
Value m_lower(Interpreter&, const Value& s, CallArgs& a) { ArgBinder b("lower", a, {}); return Value::string(unicode::lower(self_str(s)), detail::markup_of(s)); }
Value m_title(Interpreter&, const Value& s, CallArgs& a) { ArgBinder b("title", a, {}); return Value::string(str_ops::title(self_str(s)), detail::markup_of(s)); }
Value m_capitalize(Interpreter&, const Value& s, CallArgs& a) { ArgBinder b("capitalize", a, {}); return Value::string(str_ops::capitalize(self_str(s)), detail::markup_of(s)); }
Value m_swapcase(Interpreter&, const Value& s, CallArgs& a) { ArgBinder b("swapcase", a, {}); return Value::string(str_ops::swapcase(self_str(s)), detail::markup_of(s)); }

enum class OnMissing : uint8_t { kMinusOne, kRaise };

Value find_impl(const Value& s, CallArgs& a, str_ops::SearchFrom from, OnMissing missing) {
  const bool reverse = from == str_ops::SearchFrom::kEnd;
  const bool raise = missing == OnMissing::kRaise;
  ArgBinder b(reverse ? (raise ? "rindex" : "rfind") : (raise ? "index" : "find"), a, {"sub", "start", "end"});
  if (!b.get(0)) throw_type_error("find() takes at least 1 argument (0 given)");
  auto idx = [&](size_t i) -> std::optional<int64_t> {
    if (!b.get(i) || b.get(i)->is_none()) return std::nullopt;
    return b.int_or(i, 0);
  };
  const int64_t r = str_ops::find(self_str(s), b.string_or(0, ""), idx(1), idx(2), from);
  if (r < 0 && raise) throw_error(ErrorClass::kValueError, "substring not found");
  return Value::integer(r);
}
Value m_find(Interpreter&, const Value& s, CallArgs& a) { return find_impl(s, a, str_ops::SearchFrom::kStart, OnMissing::kMinusOne); }
Value m_rfind(Interpreter&, const Value& s, CallArgs& a) { return find_impl(s, a, str_ops::SearchFrom::kEnd, OnMissing::kMinusOne); }
Value m_index(Interpreter&, const Value& s, CallArgs& a) { return find_impl(s, a, str_ops::SearchFrom::kStart, OnMissing::kRaise); }
Value m_rindex(Interpreter&, const Value& s, CallArgs& a) { return find_impl(s, a, str_ops::SearchFrom::kEnd, OnMissing::kRaise); }

Value m_count(Interpreter&, const Value& s, CallArgs& a) {
  ArgBinder b("count", a, {"sub"});
  return Value::integer(str_ops::count(self_str(s), b.string_or(0, "")));
}

Value m_join(Interpreter& in, const Value& s, CallArgs& a) {
  ArgBinder b("join", a, {"iterable"});
  if (!b.get(0)) throw_type_error("join() takes exactly one argument (0 given)");
  std::string out;
  size_t i = 0;
  for (const Value& item : in.iterate(*b.get(0))) {
    if (!item.is_string()) {
      throw_type_error("sequence item " + std::to_string(i) + ": expected str instance, " +
                       std::string(type_name(item)) + " found");
    }
    if (i++ > 0) out += self_str(s);
    out += item.as_string();
    in.charge_bytes(out.size());
  }
  return Value::string(std::move(out), detail::markup_of(s));
}

Value m_format(Interpreter& in, const Value& s, CallArgs& a) {
  std::string out = brace_format(self_str(s), a);
  in.charge_bytes(out.size());
  return Value::string(std::move(out), detail::markup_of(s));
}

template <bool (*Pred)(char32_t)>
Value char_class(Interpreter&, const Value& s, CallArgs& a) {
  ArgBinder b("is*", a, {});
  const std::string& text = self_str(s);
  if (text.empty()) return Value::boolean(false);
  size_t i = 0;
  while (i < text.size()) {
    if (!Pred(unicode::decode_next(text, i))) return Value::boolean(false);
  }
  return Value::boolean(true);
}
bool cp_decimal(char32_t c) { return unicode::is_digit(c); }

Value m_isascii(Interpreter&, const Value& s, CallArgs& a) {
  ArgBinder b("isascii", a, {});
  return Value::boolean(unicode::is_ascii(self_str(s)));
}

Value case_pred(const Value& s, CaseKind kind) {
  const bool upper = kind == CaseKind::kUpper;
  bool cased = false;
  const std::string& text = self_str(s);
  size_t i = 0;
  while (i < text.size()) {
    const char32_t cp = unicode::decode_next(text, i);
    if (unicode::is_upper(cp)) {
      if (!upper) return Value::boolean(false);
      cased = true;
    } else if (unicode::is_lower(cp)) {
      if (upper) return Value::boolean(false);
      cased = true;
    }
  }
  return Value::boolean(cased);
}
Value m_isupper(Interpreter&, const Value& s, CallArgs& a) { ArgBinder b("isupper", a, {}); return case_pred(s, CaseKind::kUpper); }
Value m_islower(Interpreter&, const Value& s, CallArgs& a) { ArgBinder b("islower", a, {}); return case_pred(s, CaseKind::kLower); }

Value pad_impl(Interpreter& in, const Value& s, CallArgs& a, StripSide side, const char* name) {
  ArgBinder b(name, a, {"width", "fillchar"});
  const int64_t width = b.int_or(0, 0);
  char32_t fill = ' ';
  if (b.get(1)) {
    const std::string f = b.string_or(1, " ");
    if (unicode::length(f) != 1) throw_type_error("The fill character must be exactly one character long");
    size_t i = 0;
    fill = unicode::decode_next(f, i);
  }
  in.charge_bytes(static_cast<size_t>(std::clamp<int64_t>(width, 0, INT64_MAX / 8)) * 4);
  return Value::string(str_ops::pad(self_str(s), width, fill, side), detail::markup_of(s));
}
Value m_center(Interpreter& in, const Value& s, CallArgs& a) { return pad_impl(in, s, a, StripSide::kBoth, "center"); }
Value m_ljust(Interpreter& in, const Value& s, CallArgs& a) { return pad_impl(in, s, a, StripSide::kRight, "ljust"); }
Value m_rjust(Interpreter& in, const Value& s, CallArgs& a) { return pad_impl(in, s, a, StripSide::kLeft, "rjust"); }

Value m_zfill(Interpreter& in, const Value& s, CallArgs& a) {
  ArgBinder b("zfill", a, {"width"});
  const int64_t width = b.int_or(0, 0);
  in.charge_bytes(static_cast<size_t>(std::clamp<int64_t>(width, 0, INT64_MAX / 8)));
  std::string text = self_str(s);
  const auto len = static_cast<int64_t>(unicode::length(text));
  if (width <= len) return Value::string(text);
  std::string sign;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    sign = text.substr(0, 1);
    text = text.substr(1);
  }
  return Value::string(sign + std::string(static_cast<size_t>(width - len), '0') + text);
}

Value partition_impl(const Value& s, CallArgs& a, str_ops::SearchFrom from) {
  const bool reverse = from == str_ops::SearchFrom::kEnd;
  ArgBinder b(reverse ? "rpartition" : "partition", a, {"sep"});
  const std::string sep = b.string_or(0, "");
  if (sep.empty()) throw_error(ErrorClass::kValueError, "empty separator");
  const std::string& text = self_str(s);
  const size_t at = reverse ? text.rfind(sep) : unicode::find_bytes(text, sep);
  if (at == std::string::npos) {
    return reverse ? Value::tuple({Value::string(""), Value::string(""), Value::string(text)})
                   : Value::tuple({Value::string(text), Value::string(""), Value::string("")});
  }
  return Value::tuple({Value::string(text.substr(0, at)), Value::string(sep), Value::string(text.substr(at + sep.size()))});
}
Value m_partition(Interpreter&, const Value& s, CallArgs& a) { return partition_impl(s, a, str_ops::SearchFrom::kStart); }
Value m_rpartition(Interpreter&, const Value& s, CallArgs& a) { return partition_impl(s, a, str_ops::SearchFrom::kEnd); }

Value m_removeprefix(Interpreter&, const Value& s, CallArgs& a) {
  ArgBinder b("removeprefix", a, {"prefix"});
  const std::string p = b.string_or(0, "");
  const std::string& text = self_str(s);
  return Value::string(text.compare(0, p.size(), p) == 0 ? text.substr(p.size()) : text, detail::markup_of(s));
}

Value m_removesuffix(Interpreter&, const Value& s, CallArgs& a) {
  ArgBinder b("removesuffix", a, {"suffix"});
  const std::string p = b.string_or(0, "");
  const std::string& text = self_str(s);
  const bool hit = !p.empty() && text.size() >= p.size() && text.compare(text.size() - p.size(), p.size(), p) == 0;
  return Value::string(hit ? text.substr(0, text.size() - p.size()) : text, detail::markup_of(s));
}

constexpr MethodEntry kStrMethods[] = {
    {"strip", m_strip}, {"lstrip", m_lstrip}, {"rstrip", m_rstrip}, {"split", m_split},
    {"rsplit", m_rsplit}, {"splitlines", m_splitlines}, {"startswith", m_startswith},
    {"endswith", m_endswith}, {"replace", m_replace}, {"upper", m_upper}, {"lower", m_lower},
    {"casefold", m_lower}, {"title", m_title}, {"capitalize", m_capitalize}, {"swapcase", m_swapcase},
    {"find", m_find}, {"rfind", m_rfind}, {"index", m_index}, {"rindex", m_rindex}, {"count", m_count},
    {"join", m_join}, {"format", m_format}, {"isdigit", char_class<cp_decimal>},
    {"isdecimal", char_class<cp_decimal>}, {"isnumeric", char_class<unicode::is_numeric>},
    {"isalpha", char_class<unicode::is_alpha>}, {"isalnum", char_class<unicode::is_alnum>},
    {"isspace", char_class<unicode::is_space>}, {"isprintable", char_class<unicode::is_printable>},
    {"isascii", m_isascii}, {"isupper", m_isupper}, {"islower", m_islower}, {"center", m_center},
    {"ljust", m_ljust}, {"rjust", m_rjust}, {"zfill", m_zfill}, {"partition", m_partition},
    {"rpartition", m_rpartition}, {"removeprefix", m_removeprefix}, {"removesuffix", m_removesuffix},
};

// ---- list / tuple ----

std::vector<Value>& items_of(const Value& self) { return self.list_data().items; }

Value l_count(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("count", a, {"value"});
  int64_t n = 0;
  for (const Value& v : items_of(self)) n += (b.get(0) && equals(v, *b.get(0))) ? 1 : 0;
  return Value::integer(n);
}

Value l_index(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("index", a, {"value"});
  const auto& items = items_of(self);
  for (size_t i = 0; i < items.size(); ++i) {
    if (b.get(0) && equals(items[i], *b.get(0))) return Value::integer(static_cast<int64_t>(i));
  }
  throw_error(ErrorClass::kValueError, (b.get(0) ? repr(*b.get(0)) : std::string("value")) + " is not in list");
}

Value l_copy(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("copy", a, {});
  return Value::list(items_of(self));
}

Value l_append(Interpreter& in, const Value& self, CallArgs& a) {
  ArgBinder b("append", a, {"object"});
  if (!b.get(0)) throw_type_error("list.append() takes exactly one argument (0 given)");
  in.count_step();
  if ((items_of(self).size() + 1) * sizeof(Value) > in.settings().limits.max_output_bytes) in.charge_bytes(SIZE_MAX);
  in.track_mutable(self);
  items_of(self).push_back(*b.get(0));
  return Value::none();
}

Value l_extend(Interpreter& in, const Value& self, CallArgs& a) {
  ArgBinder b("extend", a, {"iterable"});
  if (!b.get(0)) throw_type_error("list.extend() takes exactly one argument (0 given)");
  std::vector<Value> more = in.iterate(*b.get(0));
  in.charge_bytes((items_of(self).size() + more.size()) * sizeof(Value));
  in.track_mutable(self);
  for (Value& v : more) items_of(self).push_back(std::move(v));
  return Value::none();
}

Value l_insert(Interpreter& in, const Value& self, CallArgs& a) {
  ArgBinder b("insert", a, {"index", "object"});
  if (!b.get(1)) throw_type_error("insert expected 2 arguments");
  auto& items = items_of(self);
  const auto n = static_cast<int64_t>(items.size());
  int64_t i = b.int_or(0, 0);
  if (i < 0) i = std::max<int64_t>(0, i + n);
  i = std::min(i, n);
  in.track_mutable(self);
  items.insert(items.begin() + i, *b.get(1));
  return Value::none();
}

Value l_pop(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("pop", a, {"index"});
  auto& items = items_of(self);
  if (items.empty()) throw_error(ErrorClass::kIndexError, "pop from empty list");
  const auto n = static_cast<int64_t>(items.size());
  int64_t i = b.int_or(0, -1);
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw_error(ErrorClass::kIndexError, "pop index out of range");
  Value v = std::move(items[static_cast<size_t>(i)]);
  items.erase(items.begin() + i);
  return v;
}

Value l_remove(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("remove", a, {"value"});
  auto& items = items_of(self);
  for (auto it = items.begin(); it != items.end(); ++it) {
    if (b.get(0) && equals(*it, *b.get(0))) {
      items.erase(it);
      return Value::none();
    }
  }
  throw_error(ErrorClass::kValueError, "list.remove(x): x not in list");
}

Value l_reverse(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("reverse", a, {});
  std::reverse(items_of(self).begin(), items_of(self).end());
  return Value::none();
}

Value l_clear(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("clear", a, {});
  release_iteratively(items_of(self));
  return Value::none();
}

Value l_sort(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("sort", a, {"reverse"});
  const bool reverse = b.flag(0, false);
  std::vector<Value> sorted = items_of(self);
  std::stable_sort(sorted.begin(), sorted.end(), [reverse](const Value& x, const Value& y) {
    return reverse ? compare(y, x) < 0 : compare(x, y) < 0;
  });
  items_of(self) = std::move(sorted);
  return Value::none();
}

constexpr MethodEntry kTupleMethods[] = {{"count", l_count}, {"index", l_index}};
constexpr MethodEntry kListMethods[] = {{"count", l_count}, {"index", l_index}, {"copy", l_copy}};
constexpr MethodEntry kListMutators[] = {
    {"append", l_append}, {"extend", l_extend}, {"insert", l_insert}, {"pop", l_pop},
    {"remove", l_remove}, {"reverse", l_reverse}, {"clear", l_clear}, {"sort", l_sort},
};

// ---- dict ----

Value d_get(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("get", a, {"key", "default"});
  if (!b.get(0)) throw_type_error("get expected at least 1 argument, got 0");
  require_hashable(*b.get(0));
  if (const Value* v = self.dict_data().find(*b.get(0))) return *v;
  return b.get_or(1, Value::none());
}

Value d_items(Interpreter& in, const Value& self, CallArgs& a) {
  ArgBinder b("items", a, {});
  in.charge_bytes(self.dict_data().size() * sizeof(Value) * 2);
  std::vector<Value> out;
  for (const auto& [k, v] : self.dict_data().entries()) out.push_back(Value::tuple({k, v}));
  return Value::list(std::move(out));
}

Value d_keys(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("keys", a, {});
  std::vector<Value> out;
  for (const auto& kv : self.dict_data().entries()) out.push_back(kv.first);
  return Value::list(std::move(out));
}

Value d_values(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("values", a, {});
  std::vector<Value> out;
  for (const auto& kv : self.dict_data().entries()) out.push_back(kv.second);
  return Value::list(std::move(out));
}

Value d_copy(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("copy", a, {});
  Value d = Value::dict();
  for (const auto& [k, v] : self.dict_data().entries()) d.dict_data().set(k, v);
  return d;
}

Value d_pop(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("pop", a, {"key", "default"});
  if (!b.get(0)) throw_type_error("pop expected at least 1 argument, got 0");
  require_hashable(*b.get(0));
  if (auto v = self.dict_data().erase(*b.get(0))) return std::move(*v);
  if (b.get(1)) return *b.get(1);
  throw_error(ErrorClass::kKeyError, repr(*b.get(0)));
}

Value d_setdefault(Interpreter& in, const Value& self, CallArgs& a) {
  ArgBinder b("setdefault", a, {"key", "default"});
  if (!b.get(0)) throw_type_error("setdefault expected at least 1 argument, got 0");
  if (const Value* v = self.dict_data().find(*b.get(0))) return *v;
  in.track_mutable(self);
  self.dict_data().set(*b.get(0), b.get_or(1, Value::none()));
  return b.get_or(1, Value::none());
}

Value d_update(Interpreter& in, const Value& self, CallArgs& a) {
  Value tmp = Value::dict();
  CallArgs copy = a;
  if (copy.args.size() > 1) throw_type_error("update expected at most 1 argument");
  if (!copy.args.empty()) {
    const Value& src = copy.args[0];
    if (!src.is_dict()) throw_type_error("update() argument must be a mapping");
    for (const auto& [k, v] : src.dict_data().entries()) tmp.dict_data().set(k, v);
  }
  for (auto& [k, v] : copy.kwargs) tmp.dict_data().set(Value::string(k), v);
  in.track_mutable(self);
  for (auto& [k, v] : tmp.dict_data().entries()) self.dict_data().set(k, v);
  return Value::none();
}

Value d_clear(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("clear", a, {});
  std::vector<Value> values;
  for (auto& [k, v] : self.dict_data().entries()) {
    values.push_back(std::move(k));
    values.push_back(std::move(v));
  }
  self.dict_data().clear();
  release_iteratively(values);
  return Value::none();
}

Value d_popitem(Interpreter&, const Value& self, CallArgs& a) {
  ArgBinder b("popitem", a, {});
  auto& entries = self.dict_data().entries();
  if (entries.empty()) throw_error(ErrorClass::kKeyError, "'popitem(): dictionary is empty'");
  Value item = Value::tuple({entries.back().first, entries.back().second});
  entries.pop_back();
  return item;
}

constexpr MethodEntry kDictMethods[] = {
    {"get", d_get}, {"items", d_items}, {"keys", d_keys}, {"values", d_values}, {"copy", d_copy},
};
constexpr MethodEntry kDictMutators[] = {
    {"pop", d_pop}, {"setdefault", d_setdefault}, {"update", d_update}, {"clear", d_clear}, {"popitem", d_popitem},
};

std::optional<Value> bind_method(const Value& self, std::string_view name, std::span<const MethodEntry> table) {
  for (const MethodEntry& m : table) {
    if (m.name == name) return Value::callable(std::make_shared<BoundMethod>(self, std::string(name), m.fn));
  }
  return std::nullopt;
}

std::optional<Value> bind_mutator(Interpreter& in, const Value& self, std::string_view name,
                                  std::span<const MethodEntry> table) {
  for (const MethodEntry& m : table) {
    if (m.name != name) continue;
    if (in.settings().sandbox == Sandbox::kImmutable) {
      return Value::undefined("access to attribute '" + std::string(name) + "' of '" + std::string(type_name(self)) +
                                  "' object is unsafe.",
                              ErrorClass::kSecurityError);
    }
    return Value::callable(std::make_shared<BoundMethod>(self, std::string(name), m.fn));
  }
  return std::nullopt;
}

}  // namespace

std::optional<Value> builtin_attribute(Interpreter& in, const Value& obj, std::string_view name) {
  switch (obj.kind()) {
    case ValueKind::kString: return bind_method(obj, name, kStrMethods);
    case ValueKind::kTuple: return bind_method(obj, name, kTupleMethods);
    case ValueKind::kList:
      if (auto m = bind_method(obj, name, kListMethods)) return m;
      return bind_mutator(in, obj, name, kListMutators);
    case ValueKind::kDict:
      if (auto m = bind_method(obj, name, kDictMethods)) return m;
      return bind_mutator(in, obj, name, kDictMutators);
    case ValueKind::kObject: return obj.object_ref().get_attr(name);
    default: return std::nullopt;
  }
}

}  // namespace hako::jinja
