// Norm layer (see norm.h).
#include "model/layers/norm.h"

#include "kernels/ops/norm.h"

namespace hako::model::layers {

Norm bind_norm(WeightBinder& b, TensorRole role, int32_t il, int64_t n) {
  return {.w = b.require_f32({.role = role, .layer = il, .part = TensorPart::kWeight,
                              .shape = {n, 1}, .kind = WeightKind::kVector}),
          .n = n};
}

void rms_norm(ops::ConstRowsF32 x, const Norm& norm, float eps, ops::RowsF32 y) noexcept {
  ops::rms_norm(x, norm.w, eps, y);
}

}  // namespace hako::model::layers
