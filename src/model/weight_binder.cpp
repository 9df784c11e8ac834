// WeightBinder (see weight_binder.h).
#include "model/weight_binder.h"

#include <string>

#include "base/error.h"
#include "gguf/gguf_file.h"
#include "quant/traits.h"

namespace hako::model {
namespace {

std::string shape_str(const std::array<int64_t, 4>& ne, int n_dims) {
  std::string s = "[";
  for (int i = 0; i < std::max(n_dims, 1); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(ne[static_cast<size_t>(i)]);
  }
  return s + "]";
}

}  // namespace

WeightBinder::WeightBinder(const gguf::GgufFile& file, WeightStore* store)
    : file_(file), store_(store), used_(file.tensors().size(), false), bound_(file.tensors().size()) {}

TensorView WeightBinder::check(const TensorReq& req, size_t index, const std::string& name) {
  const gguf::TensorInfo& t = file_.tensors()[index];
  const std::string where = file_.path() + ": tensor '" + name + "'";
  const std::array<int64_t, 4> want = {req.shape[0], req.shape[1], 1, 1};
  if (t.ne != want) {
    throw Error(ErrorKind::kFormat, where + " has the wrong shape: expected " +
                                        shape_str(want, req.shape[1] == 1 ? 1 : 2) + ", actual " +
                                        shape_str(t.ne, t.n_dims));
  }
  if (req.kind == WeightKind::kVector) {
    if (t.type != GgmlType::F32) {
      throw Error(ErrorKind::kUnsupported, where + " has the wrong type: expected f32, actual " +
                                               std::string(to_string(t.type)));
    }
  } else {
    try {
      require_supported(t.type, name);
    } catch (const Error& e) {
      rethrow_with_context(e, file_.path());
    }
    if (quant_traits(t.type).vec_dot_ref == nullptr) {
      throw Error(ErrorKind::kUnsupported, where + " has type " + std::string(to_string(t.type)) +
                                               ", an activation-only format weights cannot use");
    }
  }
  if (used_[index]) return bound_[index];
  TensorView v = t.view();
  if (req.kind == WeightKind::kMatrix) {
    if (store_ != nullptr && req.relayout == Relayout::kAllowed) v = store_->adopt(v);
    matrices_.push_back(v);
  }
  used_[index] = true;
  bound_[index] = v;
  return v;
}

std::optional<TensorView> WeightBinder::optional(const TensorReq& req) {
  const std::string name = tensor_name(req.role, req.layer, req.part);
  const gguf::TensorInfo* t = file_.find_tensor(name);
  if (t == nullptr) return std::nullopt;
  return check(req, static_cast<size_t>(t - file_.tensors().data()), name);
}

TensorView WeightBinder::require(const TensorReq& req) {
  auto v = optional(req);
  if (!v) {
    throw Error(ErrorKind::kFormat, file_.path() + ": missing tensor '" +
                                        tensor_name(req.role, req.layer, req.part) + "'");
  }
  return *v;
}

const float* WeightBinder::require_f32(const TensorReq& req) {
  HAKO_ASSERT(req.kind == WeightKind::kVector);
  return static_cast<const float*>(require(req).data);
}

const float* WeightBinder::optional_f32(const TensorReq& req) {
  HAKO_ASSERT(req.kind == WeightKind::kVector);
  const auto v = optional(req);
  return v ? static_cast<const float*>(v->data) : nullptr;
}

void WeightBinder::finish() const {
  std::string names;
  size_t n_unused = 0;
  for (size_t i = 0; i < used_.size(); ++i) {
    if (used_[i]) continue;
    if (++n_unused <= 5) names += std::string(n_unused > 1 ? ", " : "") + "'" +
                                  std::string(file_.tensors()[i].name) + "'";
  }
  if (n_unused == 0) return;
  if (n_unused > 5) names += ", ...";
  throw Error(ErrorKind::kFormat, file_.path() + ": " + std::to_string(n_unused) +
                                      " tensor(s) of the file are not used by architecture '" +
                                      file_.architecture() + "': " + names);
}

}  // namespace hako::model
