// Sequence and mapping filters, as jinja2/filters.py defines them: length/
// count, first, last, list, join, map, select/reject, selectattr/
// rejectattr, unique, sort, dictsort, items, reverse, default/d, sum, min,
// max, batch, slice, groupby, attr, pprint. map/select/reject/selectattr/
// rejectattr/unique/items/batch/slice return lazy one-shot iterators like
// Jinja2's generators (so `x|map(...)|tojson` fails as it does in Python).
#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

#include "chat/jinja/builtins_impl.h"
#include "chat/jinja/operators.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja::detail {
namespace {

Value filter_length(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("len", a, {});
  switch (v.kind()) {
    case ValueKind::kString: return Value::integer(static_cast<int64_t>(unicode::length(v.as_string())));
    case ValueKind::kList: case ValueKind::kTuple: return Value::integer(static_cast<int64_t>(v.list_data().items.size()));
    case ValueKind::kDict: return Value::integer(static_cast<int64_t>(v.dict_data().size()));
    case ValueKind::kUndefined: return Value::integer(0);
    case ValueKind::kObject:
      if (auto n = v.object_ref().length()) return Value::integer(*n);
      [[fallthrough]];
    default: throw_type_error("object of type '" + std::string(type_name(v)) + "' has no len()");
  }
}

Value filter_first(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_first", a, {});
  if (v.is_iterator()) {
    if (auto item = v.iterator_ref().next(in)) return *item;
  } else if (v.is_list_or_tuple()) {
    if (!v.list_data().items.empty()) return v.list_data().items.front();
  } else {
    std::vector<Value> items = in.iterate(v);
    if (!items.empty()) return items.front();
  }
  return Value::undefined("No first item, sequence was empty.");
}

Value filter_last(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_last", a, {});
  if (v.is_iterator()) throw_type_error("'" + std::string(type_name(v)) + "' object is not reversible");
  std::vector<Value> items = in.iterate(v);
  if (!items.empty()) return items.back();
  return Value::undefined("No last item, sequence was empty.");
}

Value filter_list(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("list", a, {});
  return Value::list(in.iterate(v));
}

Value filter_join(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_join", a, {"d", "attribute"});
  const std::string sep = b.get(0) ? to_str(*b.get(0)) : "";
  std::string out;
  bool first = true;
  for (Value& item : in.iterate(v)) {
    if (b.get(1) && !b.get(1)->is_none()) item = get_attribute_path(in, item, *b.get(1));
    if (!first) out += sep;
    first = false;
    out += item.is_string() ? item.as_string() : to_str(item);
    in.charge_bytes(out.size());
  }
  return Value::string(std::move(out));
}

// Shared state of a generator filter: the input is iterated lazily on the
// first next() (Jinja2's `if value:` check happens then, too).
struct LazySource {
  Value input;
  std::vector<Value> items;
  size_t pos = 0;
  bool started = false;
  std::optional<Value> next(Interpreter& in) {
    if (!started) {
      started = true;
      if (truthy(input)) items = in.iterate(input);
      input = Value();
    }
    if (pos >= items.size()) return std::nullopt;
    return items[pos++];
  }
};

Value filter_map(Interpreter& in, const Value& v, CallArgs& a) {
  auto src = std::make_shared<LazySource>(LazySource{v, {}, 0, false});
  if (a.args.empty()) {
    Value attribute, fallback = Value::none();
    bool has_attribute = false;
    for (auto& [k, val] : a.kwargs) {
      if (k == "attribute") {
        attribute = val;
        has_attribute = true;
      } else if (k == "default") {
        fallback = val;
      } else {
        throw_error(ErrorClass::kTemplateRuntimeError, "Unexpected keyword argument '" + k + "'");
      }
    }
    if (!has_attribute) throw_error(ErrorClass::kTemplateRuntimeError, "map requires a filter argument");
    return make_generator(v, [src, attribute, fallback](Interpreter& it) -> std::optional<Value> {
      auto item = src->next(it);
      if (!item) return std::nullopt;
      return get_attribute_path(it, *item, attribute, &fallback);
    });
  }
  if (!a.args[0].is_string()) throw_error(ErrorClass::kTemplateRuntimeError, "map requires a filter name");
  const std::string name = a.args[0].as_string();
  auto rest = std::make_shared<CallArgs>();
  rest->args.assign(a.args.begin() + 1, a.args.end());
  rest->kwargs = a.kwargs;
  (void)in;
  return make_generator(v, [src, name, rest](Interpreter& it) -> std::optional<Value> {
    auto item = src->next(it);
    if (!item) return std::nullopt;
    CallArgs args = *rest;
    return it.apply_filter(name, *item, args);
  });
}

enum class Keep : uint8_t { kSelected, kRejected };
enum class Lookup : uint8_t { kItem, kAttribute };

Value select_or_reject(const Value& v, CallArgs& a, Keep keep, Lookup lookup) {
  auto src = std::make_shared<LazySource>(LazySource{v, {}, 0, false});
  size_t off = 0;
  Value attribute;
  if (lookup == Lookup::kAttribute) {
    if (a.args.empty()) throw_error(ErrorClass::kTemplateRuntimeError, "Missing parameter for attribute name");
    attribute = a.args[0];
    off = 1;
  }
  std::optional<std::string> test;
  auto rest = std::make_shared<CallArgs>();
  if (a.args.size() > off) {
    if (!a.args[off].is_string()) throw_error(ErrorClass::kTemplateRuntimeError, "test name must be a string");
    test = a.args[off].as_string();
    rest->args.assign(a.args.begin() + static_cast<std::ptrdiff_t>(off + 1), a.args.end());
    rest->kwargs = a.kwargs;
  }
  return make_generator(v, [src, attribute, test, rest, keep, lookup](Interpreter& it) -> std::optional<Value> {
    while (auto item = src->next(it)) {
      it.count_step();
      const Value probe = lookup == Lookup::kAttribute ? get_attribute_path(it, *item, attribute) : *item;
      bool ok;
      if (test) {
        CallArgs args = *rest;
        ok = it.apply_test(*test, probe, args);
      } else {
        ok = truthy(probe);
      }
      if (ok == (keep == Keep::kSelected)) return item;
    }
    return std::nullopt;
  });
}

Value filter_select(Interpreter&, const Value& v, CallArgs& a) { return select_or_reject(v, a, Keep::kSelected, Lookup::kItem); }
Value filter_reject(Interpreter&, const Value& v, CallArgs& a) { return select_or_reject(v, a, Keep::kRejected, Lookup::kItem); }
Value filter_selectattr(Interpreter&, const Value& v, CallArgs& a) {
  return select_or_reject(v, a, Keep::kSelected, Lookup::kAttribute);
}
Value filter_rejectattr(Interpreter&, const Value& v, CallArgs& a) {
  return select_or_reject(v, a, Keep::kRejected, Lookup::kAttribute);
}

Value filter_unique(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_unique", a, {"case_sensitive", "attribute"});
  const bool case_sensitive = b.flag(0, false);
  const Value attribute = b.get_or(1, Value::none());
  auto src = std::make_shared<LazySource>(LazySource{v, {}, 0, false});
  src->started = false;
  auto seen = std::make_shared<std::vector<Value>>();
  // Unlike the other generators, unique iterates its input unconditionally.
  return make_generator(v, [src, seen, attribute, case_sensitive](Interpreter& it) -> std::optional<Value> {
    if (!src->started) {
      src->started = true;
      src->items = it.iterate(src->input);
      src->input = Value();
    }
    while (src->pos < src->items.size()) {
      const Value item = src->items[src->pos++];
      Value key = get_attribute_path(it, item, attribute);
      if (!case_sensitive) key = ignore_case(key);
      require_hashable(key);
      bool dup = false;
      for (const Value& s : *seen) {
        it.count_step();
        if (equals(s, key)) {
          dup = true;
          break;
        }
      }
      if (!dup) {
        seen->push_back(key);
        return item;
      }
    }
    return std::nullopt;
  });
}

// Sort key of |sort (Jinja2's make_multi_attrgetter): always a list, one
// value per comma-separated attribute, so that equal elements compare with
// == only (a list of undefined values sorts without error, as in Python).
Value multi_sort_key(Interpreter& in, const Value& item, const Value& attribute, bool case_sensitive) {
  std::vector<Value> parts;
  if (attribute.is_string()) {
    const std::string& spec = attribute.as_string();
    size_t start = 0;
    while (true) {
      const size_t comma = spec.find(',', start);
      Value k = get_attribute_path(in, item, Value::string(spec.substr(start, comma - start)));
      parts.push_back(case_sensitive ? k : ignore_case(k));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    Value k = get_attribute_path(in, item, attribute);
    parts.push_back(case_sensitive ? k : ignore_case(k));
  }
  return Value::list(std::move(parts));
}

// Key of min/max (make_attrgetter): the attribute value itself.
Value sort_key(Interpreter& in, const Value& item, const Value& attribute, bool case_sensitive) {
  if (attribute.is_string() && attribute.as_string().find(',') != std::string::npos) {
    std::vector<Value> parts;
    size_t start = 0;
    const std::string& spec = attribute.as_string();
    while (true) {
      const size_t comma = spec.find(',', start);
      Value k = get_attribute_path(in, item, Value::string(spec.substr(start, comma - start)));
      parts.push_back(case_sensitive ? k : ignore_case(k));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return Value::list(std::move(parts));
  }
  Value k = get_attribute_path(in, item, attribute);
  return case_sensitive ? k : ignore_case(k);
}

void stable_sort_by_key(Interpreter& in, std::vector<std::pair<Value, Value>>& keyed, bool reverse) {
  in.charge_bytes(keyed.size() * sizeof(Value));
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    return reverse ? compare(y.first, x.first) < 0 : compare(x.first, y.first) < 0;
  });
}

Value filter_sort(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_sort", a, {"reverse", "case_sensitive", "attribute"});
  const bool reverse = b.flag(0, false);
  const bool case_sensitive = b.flag(1, false);
  const Value attribute = b.get_or(2, Value::none());
  std::vector<std::pair<Value, Value>> keyed;
  for (Value& item : in.iterate(v)) {
    keyed.emplace_back(multi_sort_key(in, item, attribute, case_sensitive), std::move(item));
  }
  stable_sort_by_key(in, keyed, reverse);
  std::vector<Value> out;
  for (auto& kv : keyed) out.push_back(std::move(kv.second));
  return Value::list(std::move(out));
}

Value filter_dictsort(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_dictsort", a, {"case_sensitive", "by", "reverse"});
  const bool case_sensitive = b.flag(0, false);
  const std::string by = b.string_or(1, "key");
  const bool reverse = b.flag(2, false);
  if (by != "key" && by != "value") {
    throw_error(ErrorClass::kTemplateRuntimeError, "You can only sort by either \"key\" or \"value\"");
  }
  if (v.is_undefined()) raise_undefined(v);
  if (!v.is_dict()) {
    throw_error(ErrorClass::kAttributeError, "'" + std::string(type_name(v)) + "' object has no attribute 'items'");
  }
  std::vector<std::pair<Value, Value>> keyed;
  for (const auto& [k, val] : v.dict_data().entries()) {
    const Value& key = by == "key" ? k : val;
    keyed.emplace_back(case_sensitive ? key : ignore_case(key), Value::tuple({k, val}));
  }
  stable_sort_by_key(in, keyed, reverse);
  std::vector<Value> out;
  for (auto& kv : keyed) out.push_back(std::move(kv.second));
  return Value::list(std::move(out));
}

Value filter_items(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_items", a, {});
  auto state = std::make_shared<std::pair<Value, size_t>>(v, 0);
  return make_generator(v, [state](Interpreter&) -> std::optional<Value> {
    const Value& d = state->first;
    if (d.is_undefined()) return std::nullopt;
    if (!d.is_dict()) throw_type_error("Can only get item pairs from a mapping.");
    const auto& entries = d.dict_data().entries();
    if (state->second >= entries.size()) return std::nullopt;
    const auto& kv = entries[state->second++];
    return Value::tuple({kv.first, kv.second});
  });
}

Value filter_reverse(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_reverse", a, {});
  if (v.is_string()) {
    std::vector<char32_t> cps = unicode::decode_all(v.as_string());
    std::reverse(cps.begin(), cps.end());
    return Value::string(unicode::encode_all(cps), markup_of(v));
  }
  if (v.is_list_or_tuple() || v.is_dict() || v.is_undefined()) {
    auto items = std::make_shared<std::vector<Value>>(in.iterate(v));
    const std::string_view name = v.is_list() ? "list_reverseiterator"
                                  : v.is_dict() ? "dict_reversekeyiterator" : "reversed";
    return make_generator(Value(), [items](Interpreter&) -> std::optional<Value> {
      if (items->empty()) return std::nullopt;
      Value last = std::move(items->back());
      items->pop_back();
      return last;
    }, name);
  }
  if (!v.is_iterator()) throw_error(ErrorClass::kTemplateRuntimeError, "argument must be iterable");
  std::vector<Value> items = in.iterate(v);
  std::reverse(items.begin(), items.end());
  return Value::list(std::move(items));
}

Value filter_default(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_default", a, {"default_value", "boolean"});
  if (v.is_undefined() || (b.flag(1, false) && !truthy(v))) return b.get_or(0, Value::string(""));
  return v;
}

Value filter_sum(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_sum", a, {"attribute", "start"});
  const Value attribute = b.get_or(0, Value::none());
  Value total = b.get_or(1, Value::integer(0));
  if (total.is_string()) throw_type_error("sum() can't sum strings [use ''.join(seq) instead]");
  for (Value& item : in.iterate(v)) {
    total = binary_op(in, ast::BinaryOp::kAdd, total, get_attribute_path(in, item, attribute));
  }
  return total;
}

enum class Extreme : uint8_t { kMin, kMax };

Value min_or_max(Interpreter& in, const Value& v, CallArgs& a, Extreme extreme) {
  const bool want_max = extreme == Extreme::kMax;
  ArgBinder b(want_max ? "do_max" : "do_min", a, {"case_sensitive", "attribute"});
  const bool case_sensitive = b.flag(0, false);
  const Value attribute = b.get_or(1, Value::none());
  std::optional<std::pair<Value, Value>> best;
  for (Value& item : in.iterate(v)) {
    Value key = sort_key(in, item, attribute, case_sensitive);
    if (!best || (want_max ? compare(key, best->first, ">") > 0 : compare(key, best->first) < 0)) {
      best.emplace(std::move(key), std::move(item));
    }
  }
  if (!best) return Value::undefined("No aggregated item, sequence was empty.");
  return best->second;
}

Value filter_min(Interpreter& in, const Value& v, CallArgs& a) { return min_or_max(in, v, a, Extreme::kMin); }
Value filter_max(Interpreter& in, const Value& v, CallArgs& a) { return min_or_max(in, v, a, Extreme::kMax); }

// A generator whose items are computed in one go on the first next(), as
// Jinja2's generator filters do their work only when iterated.
Value deferred_generator(const Value& source, std::function<std::vector<Value>(Interpreter&)> compute) {
  struct State {
    std::function<std::vector<Value>(Interpreter&)> compute;
    std::vector<Value> items;
    size_t pos = 0;
  };
  auto st = std::make_shared<State>(State{std::move(compute), {}, 0});
  return make_generator(source, [st](Interpreter& it) -> std::optional<Value> {
    if (st->compute) {
      auto compute = std::move(st->compute);
      st->compute = nullptr;
      st->items = compute(it);
    }
    if (st->pos >= st->items.size()) return std::nullopt;
    return st->items[st->pos++];
  });
}

Value filter_batch(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_batch", a, {"linecount", "fill_with"});
  const int64_t n = b.int_or(0, 0);
  const bool has_fill = b.get(1) != nullptr && !b.get(1)->is_none();
  const Value fill = b.get_or(1, Value::none());
  return deferred_generator(v, [v, n, has_fill, fill](Interpreter& in) {
    if (n <= 0) throw_error(ErrorClass::kValueError, "batch size must be positive");
    std::vector<Value> rows, row;
    for (Value& item : in.iterate(v)) {
      row.push_back(std::move(item));
      if (static_cast<int64_t>(row.size()) == n) rows.push_back(Value::list(std::exchange(row, {})));
    }
    if (!row.empty()) {
      if (has_fill) {
        in.charge_bytes(static_cast<size_t>(n - static_cast<int64_t>(row.size())) * sizeof(Value));
        while (static_cast<int64_t>(row.size()) < n) row.push_back(fill);
      }
      rows.push_back(Value::list(std::move(row)));
    }
    return rows;
  });
}

Value filter_slice(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_slice", a, {"slices", "fill_with"});
  const int64_t slices = b.int_or(0, 0);
  const bool has_fill = b.get(1) != nullptr && !b.get(1)->is_none();
  const Value fill = b.get_or(1, Value::none());
  return deferred_generator(v, [v, slices, has_fill, fill](Interpreter& in) {
    if (slices <= 0) throw_error(ErrorClass::kValueError, "slice count must be positive");
    const std::vector<Value> seq = in.iterate(v);
    const auto length = static_cast<int64_t>(seq.size());
    const int64_t per = length / slices, extra = length % slices;
    int64_t offset = 0;
    std::vector<Value> out;
    for (int64_t i = 0; i < slices; ++i) {
      in.count_step();
      const int64_t start = offset + i * per;
      if (i < extra) ++offset;
      const int64_t end = offset + (i + 1) * per;
      std::vector<Value> part(seq.begin() + start, seq.begin() + end);
      if (has_fill && i >= extra) part.push_back(fill);
      out.push_back(Value::list(std::move(part)));
    }
    return out;
  });
}

Value filter_groupby(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_groupby", a, {"attribute", "default", "case_sensitive"});
  if (!b.get(0)) throw_type_error("do_groupby() missing required argument 'attribute'");
  const Value attribute = *b.get(0);
  const Value fallback = b.get_or(1, Value::none());
  const bool case_sensitive = b.flag(2, false);
  std::vector<std::pair<Value, Value>> keyed;
  for (Value& item : in.iterate(v)) {
    Value key = get_attribute_path(in, item, attribute, &fallback);
    keyed.emplace_back(case_sensitive ? key : ignore_case(key), std::move(item));
  }
  stable_sort_by_key(in, keyed, false);
  std::vector<Value> groups;
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i;
    std::vector<Value> members;
    while (j < keyed.size() && equals(keyed[j].first, keyed[i].first)) members.push_back(keyed[j++].second);
    Value grouper = get_attribute_path(in, members.front(), attribute, &fallback);
    groups.push_back(Value::tuple({std::move(grouper), Value::list(std::move(members))}));
    i = j;
  }
  return Value::list(std::move(groups));
}

Value filter_attr(Interpreter& in, const Value& v, CallArgs& a) {
  ArgBinder b("do_attr", a, {"name"});
  return in.getattr(v, b.string_or(0, ""));
}

Value filter_pprint(Interpreter&, const Value& v, CallArgs& a) {
  ArgBinder b("do_pprint", a, {});
  return Value::string(repr(v));
}

constexpr FilterEntry kSequenceFilters[] = {
    {"length", filter_length},   {"count", filter_length},       {"first", filter_first},
    {"last", filter_last},       {"list", filter_list},          {"join", filter_join},
    {"map", filter_map},         {"select", filter_select},      {"reject", filter_reject},
    {"selectattr", filter_selectattr}, {"rejectattr", filter_rejectattr}, {"unique", filter_unique},
    {"sort", filter_sort},       {"dictsort", filter_dictsort},  {"items", filter_items},
    {"reverse", filter_reverse}, {"default", filter_default},    {"d", filter_default},
    {"sum", filter_sum},         {"min", filter_min},            {"max", filter_max},
    {"batch", filter_batch},     {"slice", filter_slice},        {"groupby", filter_groupby},
    {"attr", filter_attr},       {"pprint", filter_pprint},
};

}  // namespace

std::span<const FilterEntry> sequence_filters() { return kSequenceFilters; }

}  // namespace hako::jinja::detail
