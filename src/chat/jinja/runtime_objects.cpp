// The loop object (see runtime_objects.h): Jinja2's LoopContext attributes
// index/index0/revindex/revindex0/first/last/length/depth/depth0/previtem/
// nextitem and the cycle()/changed() methods.
#include "chat/jinja/runtime_objects.h"

#include "chat/jinja/value_ops.h"

namespace hako::jinja {

std::optional<Value> LoopObject::get_attr(std::string_view name) {
  const auto n = static_cast<int64_t>(items_->size());
  const auto i = static_cast<int64_t>(index0_);
  if (name == "index") return Value::integer(i + 1);
  if (name == "index0") return Value::integer(i);
  if (name == "revindex") return Value::integer(n - i);
  if (name == "revindex0") return Value::integer(n - i - 1);
  if (name == "first") return Value::boolean(i == 0);
  if (name == "last") return Value::boolean(i + 1 == n);
  if (name == "length") return Value::integer(n);
  if (name == "depth") return Value::integer(depth_);
  if (name == "depth0") return Value::integer(depth_ - 1);
  if (name == "previtem") {
    if (i == 0) return Value::undefined("there is no previous item");
    return (*items_)[index0_ - 1];
  }
  if (name == "nextitem") {
    if (i + 1 >= n) return Value::undefined("there is no next item");
    return (*items_)[index0_ + 1];
  }
  auto self = Value::object(shared_from_this());
  if (name == "cycle") {
    return Value::callable(std::make_shared<BoundMethod>(self, "cycle", [](Interpreter&, const Value& s, CallArgs& a) {
      return static_cast<LoopObject&>(s.object_ref()).cycle(a);
    }));
  }
  if (name == "changed") {
    return Value::callable(std::make_shared<BoundMethod>(self, "changed", [](Interpreter&, const Value& s, CallArgs& a) {
      return Value::boolean(static_cast<LoopObject&>(s.object_ref()).changed(a));
    }));
  }
  return std::nullopt;
}

std::string LoopObject::repr() const {
  return "<LoopContext " + std::to_string(index0_ + 1) + "/" + std::to_string(items_->size()) + ">";
}

Value LoopObject::cycle(CallArgs& args) const {
  if (args.args.empty()) throw_type_error("no items for cycling given");
  return args.args[index0_ % args.args.size()];
}

bool LoopObject::changed(CallArgs& args) {
  const Value now = Value::tuple(args.args);
  if (last_changed_ && equals(Value::tuple(*last_changed_), now)) return false;
  last_changed_ = args.args;
  return true;
}

Value LoopObject::call(Interpreter& in, CallArgs& args) {
  if (args.args.size() != 1 || !args.kwargs.empty()) throw_type_error("loop() takes exactly one argument");
  return in.run_loop(*node_, scope_, in.iterate(args.args[0]), depth_ + 1);
}

}  // namespace hako::jinja
