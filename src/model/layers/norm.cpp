// Norm layer (see norm.h).
#include "model/layers/norm.h"

#include "kernels/ops/norm.h"
#include "model/layers/row_split.h"

namespace hako::model::layers {

Norm bind_norm(WeightBinder& b, TensorRole role, int32_t il, int64_t n) {
  return {.w = b.require_f32({.role = role, .layer = il, .part = TensorPart::kWeight,
                              .shape = {n, 1}, .kind = WeightKind::kVector}),
          .n = n};
}

void rms_norm(ops::ConstRowsF32 x, const Norm& norm, float eps, ops::RowsF32 y) noexcept {
  ops::rms_norm(x, norm.w, eps, y);
}

void norm_batch(const ForwardArgs& fa, const Norm& norm, float eps) noexcept {
  const int32_t n = fa.batch.n_tokens();
  const ops::RowsF32 x = fa.ws.x(n), xn = fa.ws.xn(n);
  split_rows(fa.pool, n, [&](int64_t r0, int64_t nr) { ops::rms_norm(x.slice(r0, nr), norm.w, eps, xn.slice(r0, nr)); });
}

}  // namespace hako::model::layers
