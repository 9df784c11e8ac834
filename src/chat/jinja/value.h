// jinja::Value: the dynamically typed value of the template language, with
// Python's data model as Jinja2 exposes it: undefined, None, bool, int, float,
// str (optionally "Markup", i.e. marked HTML-safe by |safe), list, tuple, dict
// (insertion-ordered), namespace, callables (macros, builtins, bound
// methods), opaque objects (loop, cycler, joiner) and one-shot iterators (what
// Python's generators from map/select/... are). Lists, dicts, namespaces and
// iterators are shared by reference like Python objects; scalars and strings
// are copied. A Value is not thread-safe to mutate; a render owns its values.
// The Python semantics of these values (str(), repr(), ==, <, truthiness) live
// in value_ops.h; this file only defines storage and construction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "chat/jinja/jinja_error.h"

namespace hako::jinja {

class Interpreter;
class Value;

enum class ValueKind : uint8_t {
  kUndefined, kNone, kBool, kInt, kFloat, kString, kList, kTuple, kDict,
  kNamespace, kCallable, kObject, kIterator,
};

// Whether a string is Markup (HTML-safe): Markup + str escapes the str.
enum class Markup : uint8_t { kNo, kYes };

struct CallArgs;
struct ListData;
class DictData;
class Callable;
class Object;
class IteratorData;
struct UndefinedInfo;

class Value {
 public:
  // Undefined without a reason.
  Value() = default;
  Value(const Value&) = default;
  Value(Value&&) noexcept = default;
  Value& operator=(const Value&) = default;
  Value& operator=(Value&&) noexcept = default;
  // Freeing the last reference to a container, callable, object or
  // iterator is deferred to a per-thread work list that is drained in a
  // loop, so no chain of values (lists in lists, generators over
  // generators, loop objects holding loop objects) can recurse deeply.
  ~Value();

  static Value undefined(std::string message, ErrorClass cls = ErrorClass::kUndefinedError);
  static Value none();
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value floating(double f);
  static Value string(std::string s, Markup markup = Markup::kNo);
  static Value list(std::vector<Value> items = {});
  static Value tuple(std::vector<Value> items);
  static Value dict();
  static Value dict(std::shared_ptr<DictData> data);
  static Value namespace_object(std::shared_ptr<DictData> data);
  static Value callable(std::shared_ptr<Callable> fn);
  static Value object(std::shared_ptr<Object> obj);
  static Value iterator(std::shared_ptr<IteratorData> it);

  ValueKind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == ValueKind::kUndefined; }
  bool is_none() const { return kind_ == ValueKind::kNone; }
  bool is_bool() const { return kind_ == ValueKind::kBool; }
  bool is_int() const { return kind_ == ValueKind::kInt; }
  bool is_float() const { return kind_ == ValueKind::kFloat; }
  // int, float or bool (Python numbers.Number).
  bool is_number() const { return is_int() || is_float() || is_bool(); }
  bool is_string() const { return kind_ == ValueKind::kString; }
  bool is_markup() const { return is_string() && markup_ == Markup::kYes; }
  bool is_list() const { return kind_ == ValueKind::kList; }
  bool is_tuple() const { return kind_ == ValueKind::kTuple; }
  bool is_list_or_tuple() const { return is_list() || is_tuple(); }
  bool is_dict() const { return kind_ == ValueKind::kDict; }
  bool is_namespace() const { return kind_ == ValueKind::kNamespace; }
  bool is_callable() const { return kind_ == ValueKind::kCallable; }
  bool is_object() const { return kind_ == ValueKind::kObject; }
  bool is_iterator() const { return kind_ == ValueKind::kIterator; }

  // Accessors; each asserts the kind.
  bool as_bool() const;
  int64_t as_int() const;         // int or bool
  double as_double() const;       // int, float or bool
  const std::string& as_string() const;
  ListData& list_data() const;    // list or tuple
  DictData& dict_data() const;    // dict or namespace
  const std::shared_ptr<ListData>& list_ptr() const;
  const std::shared_ptr<DictData>& dict_ptr() const;
  Callable& callable_ref() const;
  Object& object_ref() const;
  IteratorData& iterator_ref() const;
  // Reason for an undefined value; nullptr if none was given.
  const UndefinedInfo* undefined_info() const;
  // Identity of the shared object (lists, dicts, ...), for `is sameas`.
  const void* identity() const;

 private:
  // Strings are immutable and shared, as in Python: copying a Value that
  // holds a long string costs one reference count.
  using Ref = std::variant<std::monostate, std::shared_ptr<const std::string>, std::shared_ptr<ListData>,
                           std::shared_ptr<DictData>, std::shared_ptr<Callable>,
                           std::shared_ptr<Object>, std::shared_ptr<IteratorData>,
                           std::shared_ptr<const UndefinedInfo>>;

  // True if ref_ holds the last reference to a heap object that may own Values.
  bool owns_last_heap_ref() const;
  static void drain_graveyard(std::vector<Value>& graveyard);

  ValueKind kind_ = ValueKind::kUndefined;
  Markup markup_ = Markup::kNo;
  union {
    bool b_;
    int64_t i_ = 0;
    double f_;
  };
  Ref ref_;
};

// Arguments of a call: positional, then keyword in call order.
struct CallArgs {
  std::vector<Value> args;
  std::vector<std::pair<std::string, Value>> kwargs;
};

// List and tuple storage. Destruction is iterative (children of a dying
// container are released from a work list), so a list nested a million deep
// cannot overflow the stack.
struct ListData {
  ListData() = default;
  explicit ListData(std::vector<Value> v) : items(std::move(v)) {}
  ListData(const ListData&) = delete;
  ListData& operator=(const ListData&) = delete;
  ~ListData();
  std::vector<Value> items;
};

// An insertion-ordered dict with Python key equality (1 == 1.0 == True).
// Lookup is linear: template dicts are small, and render time is bounded by
// the step limit.
class DictData {
 public:
  DictData() = default;
  DictData(const DictData&) = delete;
  DictData& operator=(const DictData&) = delete;
  ~DictData();
  const Value* find(const Value& key) const;
  Value* find(const Value& key);
  const Value* find(std::string_view key) const;
  // Inserts or replaces. Throws TypeError for unhashable keys (list, dict).
  void set(Value key, Value value);
  // Removes key; returns the value if it was present.
  std::optional<Value> erase(const Value& key);
  void clear() { entries_.clear(); }
  size_t size() const { return entries_.size(); }
  const std::vector<std::pair<Value, Value>>& entries() const { return entries_; }
  std::vector<std::pair<Value, Value>>& entries() { return entries_; }

 private:
  std::vector<std::pair<Value, Value>> entries_;
};

// Anything that can be called: macros, global functions, bound methods.
class Callable {
 public:
  virtual ~Callable() = default;
  virtual Value call(Interpreter& in, CallArgs& args) = 0;
  // Python repr, e.g. "<Macro 'name'>".
  virtual std::string repr() const = 0;
  // Python type name for messages ("Macro", "function", "builtin_function_or_method").
  virtual std::string_view type_name() const = 0;
};

// Opaque objects with attributes (loop, cycler, joiner).
class Object {
 public:
  virtual ~Object() = default;
  virtual std::string_view type_name() const = 0;
  // nullopt if there is no such attribute.
  virtual std::optional<Value> get_attr(std::string_view name) = 0;
  virtual std::string repr() const = 0;
  // len(obj), or nullopt if the object has no length.
  virtual std::optional<int64_t> length() const { return std::nullopt; }
  // Objects that can also be called (a recursive loop: loop(children)).
  virtual bool is_callable() const { return false; }
  virtual Value call(Interpreter& in, CallArgs& args);
};

// A one-shot iterator: what Jinja2's generator filters return. Consumed by
// iteration; has no len(), is not JSON serializable, not subscriptable.
class IteratorData {
 public:
  virtual ~IteratorData() = default;
  // The next item, or nullopt when exhausted (then stays exhausted).
  virtual std::optional<Value> next(Interpreter& in) = 0;
  virtual std::string_view type_name() const = 0;  // "generator", "list_reverseiterator"
  // How many iterators deep this one wraps (1 = over a plain value).
  virtual int nesting() const { return 1; }
};

// Why a value is undefined; the message becomes the error raised when the
// undefined value is used beyond printing, iterating or testing.
struct UndefinedInfo {
  ErrorClass error_class = ErrorClass::kUndefinedError;
  std::string message;
};


// Releases values (clears the vector); see ~Value for why this never recurses.
void release_iteratively(std::vector<Value>& values);

// Guards recursive walks over values (==, repr, tojson): more than
// kMaxValueDepth nested containers throws LimitError instead of exhausting
// the stack (Python raises RecursionError there).
inline constexpr int kMaxValueDepth = 200;
class ValueDepthGuard {
 public:
  ValueDepthGuard();
  ~ValueDepthGuard();
  ValueDepthGuard(const ValueDepthGuard&) = delete;
  ValueDepthGuard& operator=(const ValueDepthGuard&) = delete;
};

// A budget for the recursive value operations (==, ordering, repr, tojson)
// of the current thread: structures that share sub-lists can be
// exponentially larger than the steps that built them, so these walks are
// metered too. The interpreter installs one per render; outside a render
// the budget is unlimited.
struct ValueWorkLimits {
  int64_t work = INT64_MAX;      // element visits allowed
  size_t max_bytes = SIZE_MAX;   // largest string a repr/tojson may build
};
class ValueWorkScope {
 public:
  explicit ValueWorkScope(ValueWorkLimits limits);
  ~ValueWorkScope();
  ValueWorkScope(const ValueWorkScope&) = delete;
  ValueWorkScope& operator=(const ValueWorkScope&) = delete;

 private:
  ValueWorkLimits saved_;
};
// Throw LimitError when the budget is exhausted / the size is exceeded.
void charge_value_work(size_t n);
void check_value_bytes(size_t n);

}  // namespace hako::jinja
