// Gated MLP block (see mlp.h).
#include "model/layers/mlp.h"

#include "kernels/ops/activations.h"
#include "model/layers/row_split.h"

namespace hako::model::layers {
namespace {

TensorReq matrix(TensorRole role, int32_t il, int64_t n_in, int64_t n_out) {
  return {.role = role, .layer = il, .part = TensorPart::kWeight, .shape = {n_in, n_out},
          .kind = WeightKind::kMatrix};
}
TensorReq bias(TensorRole role, int32_t il, int64_t n) {
  return {.role = role, .layer = il, .part = TensorPart::kBias, .shape = {n, 1},
          .kind = WeightKind::kVector};
}

}  // namespace

MlpWeights bind_mlp(WeightBinder& b, const HParams& hp, int32_t il, MlpLayout layout) {
  const int64_t n_embd = hp.n_embd, n_ff = hp.n_ff;
  MlpWeights w;
  if (layout == MlpLayout::kFusedGateUp) {
    TensorReq req = matrix(TensorRole::kFfnUp, il, n_embd, 2 * n_ff);
    req.relayout = slice_relayout({n_ff});
    const TensorView gate_up = b.require(req);
    w.gate.w = row_slice(gate_up, 0, n_ff);
    w.up.w = row_slice(gate_up, n_ff, n_ff);
  } else {
    w.gate.w = b.require(matrix(TensorRole::kFfnGate, il, n_embd, n_ff));
    w.up.w = b.require(matrix(TensorRole::kFfnUp, il, n_embd, n_ff));
    w.gate.bias = b.optional_f32(bias(TensorRole::kFfnGate, il, n_ff));
    w.up.bias = b.optional_f32(bias(TensorRole::kFfnUp, il, n_ff));
  }
  w.down.w = b.require(matrix(TensorRole::kFfnDown, il, n_ff, n_embd));
  w.down.bias = b.optional_f32(bias(TensorRole::kFfnDown, il, n_embd));
  return w;
}

void swiglu_mlp(const ForwardArgs& fa, const MlpWeights& w) noexcept {
  const int32_t n = fa.batch.n_tokens();
  const Workspace& ws = fa.ws;
  const ops::RowsF32 gate = ws.gate(n), up = ws.up(n);
  {
    LinearInput in(ws.xn(n), ws.acts(), fa.pool);
    linear(w.gate, in, gate, fa.pool);
    linear(w.up, in, up, fa.pool);
  }
  split_rows(fa.pool, n, [&](int64_t r0, int64_t nr) {
    ops::swiglu(gate.slice(r0, nr), up.slice(r0, nr), gate.slice(r0, nr));
  });
  LinearInput in(gate, ws.acts(), fa.pool);
  linear(w.down, in, ws.proj(n), fa.pool);
}

}  // namespace hako::model::layers
