// The builtin registry and helpers (see builtins.h, builtins_impl.h).
#include "chat/jinja/builtins.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "chat/jinja/builtins_impl.h"
#include "chat/jinja/unicode.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {

namespace detail {

ArgBinder::ArgBinder(std::string_view fn_name, const CallArgs& args, std::initializer_list<std::string_view> params)
    : fn_name_(fn_name), names_(params), slots_(params.size(), nullptr) {
  if (args.args.size() > params.size()) {
    throw_type_error(fn_name_ + "() takes at most " + std::to_string(params.size()) + " argument(s) (" +
                     std::to_string(args.args.size()) + " given)");
  }
  for (size_t i = 0; i < args.args.size(); ++i) slots_[i] = &args.args[i];
  for (const auto& [k, v] : args.kwargs) {
    const auto it = std::find(names_.begin(), names_.end(), k);
    if (it == names_.end()) throw_type_error(fn_name_ + "() got an unexpected keyword argument '" + k + "'");
    const auto i = static_cast<size_t>(it - names_.begin());
    if (slots_[i] != nullptr) throw_type_error(fn_name_ + "() got multiple values for argument '" + k + "'");
    slots_[i] = &v;
  }
}

bool ArgBinder::flag(size_t i, bool fallback) const { return slots_[i] ? truthy(*slots_[i]) : fallback; }

int64_t ArgBinder::int_or(size_t i, int64_t fallback) const {
  const Value* v = slots_[i];
  if (v == nullptr || v->is_none()) return fallback;
  if (v->is_int() || v->is_bool()) return v->as_int();
  if (v->is_float() && std::isfinite(v->as_double()) && std::fabs(v->as_double()) < 9e18) {
    return static_cast<int64_t>(v->as_double());
  }
  throw_type_error(cat({fn_name_, "(): '", names_[i], "' must be an integer, not ", type_name(*v)}));
}

std::string ArgBinder::string_or(size_t i, std::string fallback) const {
  const Value* v = slots_[i];
  if (v == nullptr) return fallback;
  if (!v->is_string()) {
    throw_type_error(cat({fn_name_, "(): '", names_[i], "' must be str, not ", type_name(*v)}));
  }
  return v->as_string();
}

namespace {

class Generator : public IteratorData {
 public:
  Generator(std::function<std::optional<Value>(Interpreter&)> next, std::string_view name, int nesting)
      : next_(std::move(next)), name_(name), nesting_(nesting) {}
  int nesting() const override { return nesting_; }
  std::optional<Value> next(Interpreter& in) override {
    if (done_) return std::nullopt;
    std::optional<Value> v = next_(in);
    if (!v) {
      done_ = true;
      next_ = nullptr;  // drop captured values
    }
    return v;
  }
  std::string_view type_name() const override { return name_; }

 private:
  std::function<std::optional<Value>(Interpreter&)> next_;
  std::string_view name_;
  int nesting_;
  bool done_ = false;
};

}  // namespace

Value make_generator(const Value& source, std::function<std::optional<Value>(Interpreter&)> next,
                     std::string_view type_name) {
  const int nesting = source.is_iterator() ? source.iterator_ref().nesting() + 1 : 1;
  if (nesting > kMaxGeneratorNesting) {
    throw_error(ErrorClass::kLimitError,
                "iterators nested more than " + std::to_string(kMaxGeneratorNesting) + " deep");
  }
  return Value::iterator(std::make_shared<Generator>(std::move(next), type_name, nesting));
}

Value get_attribute_path(Interpreter& in, Value item, const Value& attribute, const Value* default_value) {
  auto step = [&](const Value& key) {
    item = in.getitem(item, key);
    if (default_value != nullptr && !default_value->is_none() && item.is_undefined()) item = *default_value;
  };
  if (attribute.is_none() || attribute.is_undefined()) return item;
  if (!attribute.is_string()) {
    step(attribute);
    return item;
  }
  const std::string& path = attribute.as_string();
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const bool digits = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits && part.size() < 18) {
      step(Value::integer(std::stoll(part)));
    } else {
      step(Value::string(part));
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return item;
}

Value ignore_case(const Value& v) {
  if (!v.is_string()) return v;
  return Value::string(unicode::lower(v.as_string()));
}

}  // namespace detail

namespace {

template <typename Entry, typename Fn>
Fn lookup(std::string_view name, std::initializer_list<std::span<const Entry>> tables) {
  for (const auto& table : tables) {
    for (const Entry& e : table) {
      if (e.name == name) return e.fn;
    }
  }
  return nullptr;
}

}  // namespace

FilterFn find_filter(std::string_view name) {
  return lookup<detail::FilterEntry, FilterFn>(
      name, {detail::text_filters(), detail::sequence_filters(), detail::json_filters()});
}

TestFn find_test(std::string_view name) { return lookup<detail::TestEntry, TestFn>(name, {detail::test_table()}); }

}  // namespace hako::jinja
