// Embedding lookup, residual add and output head (see embedding.h).
#include "model/layers/embedding.h"

#include "kernels/ops/activations.h"
#include "model/layers/row_split.h"
#include "quant/interleave.h"
#include "quant/traits.h"

namespace hako::model::layers {

EmbeddingWeights bind_embeddings(WeightBinder& b, const HParams& hp, OutputBias output_bias) {
  const int64_t n_embd = hp.n_embd, n_vocab = hp.n_vocab;
  const TensorReq embd{.role = TensorRole::kTokenEmbd, .layer = -1, .part = TensorPart::kWeight,
                       .shape = {n_embd, n_vocab}, .kind = WeightKind::kMatrix};
  EmbeddingWeights w;
  w.token_embd = b.require(embd);
  w.output_norm = bind_norm(b, TensorRole::kOutputNorm, -1, n_embd);
  TensorReq out = embd;
  out.role = TensorRole::kOutput;
  w.output.w = b.optional(out).value_or(w.token_embd);
  if (output_bias == OutputBias::kOptional) {
    w.output.bias = b.optional_f32({.role = TensorRole::kOutput, .layer = -1,
                                    .part = TensorPart::kBias, .shape = {n_vocab, 1},
                                    .kind = WeightKind::kVector});
  }
  return w;
}

void embed_tokens(const ForwardArgs& fa, const TensorView& token_embd) noexcept {
  const int32_t n = fa.batch.n_tokens();
  const ops::RowsF32 x = fa.ws.x(n);
  const ToFloatFn to_float = quant_traits(token_embd.type).to_float;
  for (int32_t t = 0; t < n; ++t) {
    const int64_t id = fa.batch.tokens[static_cast<size_t>(t)];
    if (token_embd.layout == RowLayout::kX8) {  // tied to an interleaved output matrix
      x8_row_to_float(token_embd.type, token_embd.row(id / kX8Rows * kX8Rows), x.n_cols, static_cast<int>(id % kX8Rows),
                      x.row(t));
    } else {
      to_float(token_embd.row(id), x.row(t), x.n_cols);
    }
  }
}

void add_residual(const ForwardArgs& fa) noexcept {
  const int32_t n = fa.batch.n_tokens();
  const ops::RowsF32 x = fa.ws.x(n), proj = fa.ws.proj(n);
  split_rows(fa.pool, n, [&](int64_t r0, int64_t nr) { ops::add(x.slice(r0, nr), proj.slice(r0, nr), x.slice(r0, nr)); });
}

void output_logits(const ForwardArgs& fa, const Norm& norm, float eps, const Linear& output) noexcept {
  const int32_t n_out = fa.batch.n_outputs();
  if (n_out == 0) return;
  const int32_t n = fa.batch.n_tokens();
  const ops::RowsF32 x = fa.ws.x(n);
  const ops::RowsF32 xn = fa.ws.xn(n_out);
  for (int32_t r = 0; r < n_out; ++r) {
    const int64_t row = fa.batch.output_rows[static_cast<size_t>(r)];
    rms_norm(x.slice(row, 1), norm, eps, xn.slice(r, 1));
  }
  LinearInput in(xn, fa.ws.acts(), fa.pool);
  linear(output, in, fa.logits, fa.pool);
}

}  // namespace hako::model::layers
