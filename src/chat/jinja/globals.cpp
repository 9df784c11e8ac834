// The global functions of the template environment: Jinja2's range
// (capped at 100000 items like the sandbox), dict, namespace, cycler and
// joiner, plus the two transformers adds: raise_exception(msg) and
// strftime_now(fmt).
#include <ctime>
#include <memory>

#include "chat/jinja/builtins_impl.h"
#include "chat/jinja/runtime_objects.h"
#include "chat/jinja/value_ops.h"

namespace hako::jinja {
namespace {

using detail::ArgBinder;

constexpr int64_t kMaxRange = 100000;  // jinja2.sandbox.MAX_RANGE

int64_t range_arg(const Value& v) {
  if (v.is_int() || v.is_bool()) return v.as_int();
  if (v.is_undefined()) raise_undefined(v);
  throw_type_error(cat({"'", type_name(v), "' object cannot be interpreted as an integer"}));
}

Value fn_range(Interpreter& in, CallArgs& a) {
  if (!a.kwargs.empty()) throw_type_error("range() takes no keyword arguments");
  if (a.args.empty() || a.args.size() > 3) {
    throw_type_error("range expected at most 3 arguments, got " + std::to_string(a.args.size()));
  }
  int64_t start = 0, stop = 0, step = 1;
  if (a.args.size() == 1) {
    stop = range_arg(a.args[0]);
  } else {
    start = range_arg(a.args[0]);
    stop = range_arg(a.args[1]);
    if (a.args.size() == 3) step = range_arg(a.args[2]);
  }
  if (step == 0) throw_error(ErrorClass::kValueError, "range() arg 3 must not be zero");
  const __int128 span = static_cast<__int128>(stop) - start;
  __int128 n = 0;
  if (step > 0 && span > 0) n = (span + step - 1) / step;
  if (step < 0 && span < 0) n = (-span + (-static_cast<__int128>(step)) - 1) / -static_cast<__int128>(step);
  if (n > kMaxRange) {
    throw_error(ErrorClass::kOverflowError,
                "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
  }
  in.charge_bytes(static_cast<size_t>(n) * sizeof(Value));
  std::vector<Value> items;
  items.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) items.push_back(Value::integer(start + i * step));
  return Value::list(std::move(items));
}

// dict(mapping_or_pairs, **kwargs) into d.
void fill_dict(Interpreter& in, DictData& d, CallArgs& a, std::string_view fn) {
  if (a.args.size() > 1) {
    throw_type_error(std::string(fn) + " expected at most 1 argument, got " + std::to_string(a.args.size()));
  }
  if (!a.args.empty()) {
    const Value& src = a.args[0];
    if (src.is_dict() || src.is_namespace()) {
      for (const auto& [k, v] : src.dict_data().entries()) d.set(k, v);
    } else {
      for (const Value& pair : in.iterate(src)) {
        std::vector<Value> kv = in.iterate(pair);
        if (kv.size() != 2) {
          throw_error(ErrorClass::kValueError, "dictionary update sequence element has length " +
                                                   std::to_string(kv.size()) + "; 2 is required");
        }
        d.set(std::move(kv[0]), std::move(kv[1]));
      }
    }
  }
  for (auto& [k, v] : a.kwargs) d.set(Value::string(k), v);
}

Value fn_dict(Interpreter& in, CallArgs& a) {
  Value d = Value::dict();
  fill_dict(in, d.dict_data(), a, "dict");
  return d;
}

Value fn_namespace(Interpreter& in, CallArgs& a) {
  auto data = std::make_shared<DictData>();
  fill_dict(in, *data, a, "namespace");
  Value ns = Value::namespace_object(std::move(data));
  in.track_mutable(ns);
  return ns;
}

Value fn_raise_exception(Interpreter&, CallArgs& a) {
  ArgBinder b("raise_exception", a, {"message"});
  throw TemplateError(ErrorClass::kTemplateError, b.get(0) ? to_str(*b.get(0)) : "");
}

Value fn_strftime_now(Interpreter& in, CallArgs& a) {
  ArgBinder b("strftime_now", a, {"format"});
  const std::string fmt = b.string_or(0, "");
  const std::tm tm = in.now();
  if (fmt.empty()) return Value::string("");
  in.charge_bytes(fmt.size() * 64);
  std::string buf(fmt.size() * 64 + 256, '\0');
  const size_t n = std::strftime(buf.data(), buf.size(), fmt.c_str(), &tm);
  buf.resize(n);
  return Value::string(std::move(buf));
}

// cycler(a, b, ...): .next() returns the items in turn; .current, .reset().
class Cycler : public Object, public std::enable_shared_from_this<Cycler> {
 public:
  explicit Cycler(std::vector<Value> items) : items_(std::move(items)) {}
  std::string_view type_name() const override { return "Cycler"; }
  std::string repr() const override { return "<Cycler>"; }
  std::optional<Value> get_attr(std::string_view name) override {
    auto self = shared_from_this();
    if (name == "current") return items_.empty() ? Value() : items_[pos_];
    if (name == "next") {
      return Value::callable(std::make_shared<BoundMethod>(Value::object(self), "next", [](Interpreter&, const Value& s, CallArgs&) {
        auto& c = static_cast<Cycler&>(s.object_ref());
        if (c.items_.empty()) throw_error(ErrorClass::kIndexError, "cycler has no items");
        Value v = c.items_[c.pos_];
        c.pos_ = (c.pos_ + 1) % c.items_.size();
        return v;
      }));
    }
    if (name == "reset") {
      return Value::callable(std::make_shared<BoundMethod>(Value::object(self), "reset", [](Interpreter&, const Value& s, CallArgs&) {
        static_cast<Cycler&>(s.object_ref()).pos_ = 0;
        return Value::none();
      }));
    }
    return std::nullopt;
  }

 private:
  std::vector<Value> items_;
  size_t pos_ = 0;
};

Value fn_cycler(Interpreter&, CallArgs& a) {
  if (a.args.empty()) throw_type_error("cycler() requires at least one item");
  return Value::object(std::make_shared<Cycler>(a.args));
}

// joiner(sep): returns "" on the first call and sep afterwards.
class Joiner : public Callable {
 public:
  explicit Joiner(std::string sep) : sep_(std::move(sep)) {}
  Value call(Interpreter&, CallArgs&) override {
    if (!used_) {
      used_ = true;
      return Value::string("");
    }
    return Value::string(sep_);
  }
  std::string repr() const override { return "<Joiner>"; }
  std::string_view type_name() const override { return "Joiner"; }

 private:
  std::string sep_;
  bool used_ = false;
};

Value fn_joiner(Interpreter&, CallArgs& a) {
  ArgBinder b("joiner", a, {"sep"});
  return Value::callable(std::make_shared<Joiner>(b.get(0) ? to_str(*b.get(0)) : ", "));
}

}  // namespace

void add_global_functions(DictData& globals) {
  struct Entry {
    const char* name;
    BuiltinFn fn;
  };
  static constexpr Entry kGlobals[] = {
      {"range", fn_range},       {"dict", fn_dict},       {"namespace", fn_namespace},
      {"cycler", fn_cycler},     {"joiner", fn_joiner},   {"raise_exception", fn_raise_exception},
      {"strftime_now", fn_strftime_now},
  };
  for (const Entry& e : kGlobals) {
    globals.set(Value::string(e.name), Value::callable(std::make_shared<BuiltinFunction>(e.name, e.fn)));
  }
}

}  // namespace hako::jinja
