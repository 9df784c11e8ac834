// jinja::Value storage and DictData lookup (see value.h).
#include "chat/jinja/value.h"

#include <algorithm>

#include "base/error.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {

Value Value::undefined(std::string message, ErrorClass cls) {
  Value v;
  v.ref_ = std::make_shared<const UndefinedInfo>(UndefinedInfo{cls, std::move(message)});
  return v;
}

Value Value::none() {
  Value v;
  v.kind_ = ValueKind::kNone;
  return v;
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = ValueKind::kBool;
  v.b_ = b;
  return v;
}

Value Value::integer(int64_t i) {
  Value v;
  v.kind_ = ValueKind::kInt;
  v.i_ = i;
  return v;
}

Value Value::floating(double f) {
  Value v;
  v.kind_ = ValueKind::kFloat;
  v.f_ = f;
  return v;
}

Value Value::string(std::string s, Markup markup) {
  Value v;
  v.kind_ = ValueKind::kString;
  v.markup_ = markup;
  v.ref_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = ValueKind::kList;
  v.ref_ = std::make_shared<ListData>(std::move(items));
  return v;
}

Value Value::tuple(std::vector<Value> items) {
  Value v = list(std::move(items));
  v.kind_ = ValueKind::kTuple;
  return v;
}

Value Value::dict() { return dict(std::make_shared<DictData>()); }

Value Value::dict(std::shared_ptr<DictData> data) {
  Value v;
  v.kind_ = ValueKind::kDict;
  v.ref_ = std::move(data);
  return v;
}

Value Value::namespace_object(std::shared_ptr<DictData> data) {
  Value v = dict(std::move(data));
  v.kind_ = ValueKind::kNamespace;
  return v;
}

Value Value::callable(std::shared_ptr<Callable> fn) {
  Value v;
  v.kind_ = ValueKind::kCallable;
  v.ref_ = std::move(fn);
  return v;
}

Value Value::object(std::shared_ptr<Object> obj) {
  Value v;
  v.kind_ = ValueKind::kObject;
  v.ref_ = std::move(obj);
  return v;
}

Value Value::iterator(std::shared_ptr<IteratorData> it) {
  Value v;
  v.kind_ = ValueKind::kIterator;
  v.ref_ = std::move(it);
  return v;
}

bool Value::as_bool() const {
  HAKO_ASSERT(kind_ == ValueKind::kBool);
  return b_;
}

int64_t Value::as_int() const {
  if (kind_ == ValueKind::kBool) return b_ ? 1 : 0;
  HAKO_ASSERT(kind_ == ValueKind::kInt);
  return i_;
}

double Value::as_double() const {
  if (kind_ == ValueKind::kFloat) return f_;
  return static_cast<double>(as_int());
}

const std::string& Value::as_string() const {
  HAKO_ASSERT(kind_ == ValueKind::kString);
  return *std::get<std::shared_ptr<const std::string>>(ref_);
}

ListData& Value::list_data() const {
  HAKO_ASSERT(is_list_or_tuple());
  return *std::get<std::shared_ptr<ListData>>(ref_);
}

DictData& Value::dict_data() const {
  HAKO_ASSERT(is_dict() || is_namespace());
  return *std::get<std::shared_ptr<DictData>>(ref_);
}

Callable& Value::callable_ref() const {
  HAKO_ASSERT(is_callable());
  return *std::get<std::shared_ptr<Callable>>(ref_);
}

Object& Value::object_ref() const {
  HAKO_ASSERT(is_object());
  return *std::get<std::shared_ptr<Object>>(ref_);
}

IteratorData& Value::iterator_ref() const {
  HAKO_ASSERT(is_iterator());
  return *std::get<std::shared_ptr<IteratorData>>(ref_);
}

const UndefinedInfo* Value::undefined_info() const {
  if (kind_ != ValueKind::kUndefined) return nullptr;
  if (auto* p = std::get_if<std::shared_ptr<const UndefinedInfo>>(&ref_)) return p->get();
  return nullptr;
}

const void* Value::identity() const {
  return std::visit(
      [](const auto& r) -> const void* {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else {
          return r.get();
        }
      },
      ref_);
}

namespace {

thread_local std::vector<Value>* t_graveyard = nullptr;
thread_local int t_value_depth = 0;

}  // namespace

bool Value::owns_last_heap_ref() const {
  return std::visit(
      [](const auto& r) -> bool {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, std::monostate> || std::is_same_v<T, std::shared_ptr<const std::string>> ||
                      std::is_same_v<T, std::shared_ptr<const UndefinedInfo>>) {
          return false;
        } else {
          return r != nullptr && r.use_count() == 1;
        }
      },
      ref_);
}

void Value::drain_graveyard(std::vector<Value>& graveyard) {
  while (!graveyard.empty()) {
    Ref doomed = std::move(graveyard.back().ref_);
    graveyard.back().kind_ = ValueKind::kUndefined;
    graveyard.pop_back();
    // `doomed` dies here; the Values it owned park themselves in graveyard.
  }
}

Value::~Value() {
  if (!owns_last_heap_ref()) return;
  if (t_graveyard != nullptr) {
    t_graveyard->push_back(std::move(*this));
    return;
  }
  std::vector<Value> graveyard;
  t_graveyard = &graveyard;
  graveyard.push_back(std::move(*this));
  drain_graveyard(graveyard);
  t_graveyard = nullptr;
}

void release_iteratively(std::vector<Value>& values) { values.clear(); }

ListData::~ListData() { release_iteratively(items); }

DictData::~DictData() {
  std::vector<Value> values;
  values.reserve(entries_.size() * 2);
  for (auto& [k, v] : entries_) {
    values.push_back(std::move(k));
    values.push_back(std::move(v));
  }
  entries_.clear();
  release_iteratively(values);
}

namespace {
thread_local ValueWorkLimits t_work;
}  // namespace

ValueWorkScope::ValueWorkScope(ValueWorkLimits limits) : saved_(t_work) { t_work = limits; }
ValueWorkScope::~ValueWorkScope() { t_work = saved_; }

void charge_value_work(size_t n) {
  t_work.work -= static_cast<int64_t>(std::min<size_t>(n, INT64_MAX / 2)) + 1;
  if (t_work.work < 0) {
    t_work.work = 0;
    throw_error(ErrorClass::kLimitError, "value operation exceeded the step limit");
  }
}

void check_value_bytes(size_t n) {
  if (n > t_work.max_bytes) {
    throw_error(ErrorClass::kLimitError,
                "value representation larger than the limit (" + std::to_string(t_work.max_bytes) + " bytes)");
  }
}

ValueDepthGuard::ValueDepthGuard() {
  if (++t_value_depth > kMaxValueDepth) {
    --t_value_depth;
    throw_error(ErrorClass::kLimitError,
                "values nested more than " + std::to_string(kMaxValueDepth) + " deep");
  }
}

ValueDepthGuard::~ValueDepthGuard() { --t_value_depth; }

const std::shared_ptr<ListData>& Value::list_ptr() const {
  HAKO_ASSERT(is_list_or_tuple());
  return std::get<std::shared_ptr<ListData>>(ref_);
}

const std::shared_ptr<DictData>& Value::dict_ptr() const {
  HAKO_ASSERT(is_dict() || is_namespace());
  return std::get<std::shared_ptr<DictData>>(ref_);
}

Value Object::call(Interpreter&, CallArgs&) {
  throw_type_error("'" + std::string(type_name()) + "' object is not callable");
}

const Value* DictData::find(const Value& key) const {
  for (const auto& [k, v] : entries_) {
    if (equals(k, key)) return &v;
  }
  return nullptr;
}

Value* DictData::find(const Value& key) {
  for (auto& [k, v] : entries_) {
    if (equals(k, key)) return &v;
  }
  return nullptr;
}

const Value* DictData::find(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k.is_string() && k.as_string() == key) return &v;
  }
  return nullptr;
}

void DictData::set(Value key, Value value) {
  require_hashable(key);
  if (Value* v = find(key)) {
    *v = std::move(value);
    return;
  }
  entries_.emplace_back(std::move(key), std::move(value));
}

std::optional<Value> DictData::erase(const Value& key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (equals(it->first, key)) {
      Value v = std::move(it->second);
      entries_.erase(it);
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace hako::jinja
