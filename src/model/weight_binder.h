// WeightBinder: the one checked way an architecture takes tensors from a
// GGUF file. Each request names a role, a layer, the expected shape and what
// kind of data it must be; a missing tensor, a wrong shape or an unusable
// type throws Error with the tensor's name and Expected/Actual. finish()
// proves the whole file was consumed (llama.cpp's "wrong number of
// tensors"): a tensor no request asked for is an error, since it means the
// file holds something this architecture would silently ignore.
// The binder records every matrix it hands out, so planning (activation
// buffer sizes, byte counts) enumerates the weights without another list.
// Given a WeightStore, it hands out each matrix in the layout the store
// chose for it (interleaved copies for the fast kernels, else the mapping).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/tensor_names.h"
#include "model/weight_store.h"
#include "tensor/tensor_view.h"

namespace hako::gguf {
class GgufFile;
}

namespace hako::model {

enum class WeightKind : uint8_t {
  kMatrix,  // any type hako can dequantize and multiply (quant/traits.h)
  kVector,  // f32 only (norm weights, biases, rope factors), read directly as floats
};

// Whether the WeightStore may hand a matrix out re-laid-out (x8). A fused
// tensor cut into row slices whose bounds are not multiples of 8 must stay
// as stored: x8 groups cannot be split.
enum class Relayout : uint8_t { kAllowed, kNever };

struct TensorReq {
  TensorRole role = TensorRole::kTokenEmbd;
  int32_t layer = -1;  // -1 for global tensors
  TensorPart part = TensorPart::kWeight;
  std::array<int64_t, 2> shape = {0, 1};  // {ne0, ne1}; ne1 = 1 for vectors
  WeightKind kind = WeightKind::kMatrix;
  Relayout relayout = Relayout::kAllowed;
};

class WeightBinder {
 public:
  // `file` (and `store`, if given) must outlive the binder and every view
  // it returns.
  explicit WeightBinder(const gguf::GgufFile& file, WeightStore* store = nullptr);

  // The tensor, checked; throws Error(kFormat) "missing tensor 'x'" if absent.
  TensorView require(const TensorReq& req);
  // nullopt if absent; throws like require() if present but unusable.
  std::optional<TensorView> optional(const TensorReq& req);
  // f32 data of a kVector tensor (require / optional + data pointer).
  const float* require_f32(const TensorReq& req);
  const float* optional_f32(const TensorReq& req);

  // Throws Error(kFormat) naming the tensors of the file that no request
  // asked for ("3 tensors are not used by llama: 'a', 'b', 'c'").
  void finish() const;

  // Every distinct matrix bound so far, in binding order.
  const std::vector<TensorView>& matrices() const { return matrices_; }

 private:
  TensorView check(const TensorReq& req, size_t index, const std::string& name);

  const gguf::GgufFile& file_;
  WeightStore* store_;
  std::vector<bool> used_;          // per tensor of the file, in file order
  std::vector<TensorView> bound_;   // what was handed out, per tensor
  std::vector<TensorView> matrices_;
};

}  // namespace hako::model
