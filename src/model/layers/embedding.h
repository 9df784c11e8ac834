// The ends of a transformer: token embedding lookup (dequantizing rows of
// token_embd into ws.x) and the output head (final RMS norm of the rows that
// want logits, then the vocabulary projection). Also the residual add.
#pragma once

#include "model/layers/forward_args.h"
#include "model/layers/linear.h"
#include "model/layers/norm.h"
#include "model/hparams.h"
#include "model/weight_binder.h"

namespace hako::model::layers {

// The embedding table and the output head. When the file has no
// output.weight, output is token_embd (tied embeddings).
struct EmbeddingWeights {
  TensorView token_embd;  // {n_embd, n_vocab}
  Norm output_norm;       // [n_embd]
  Linear output;          // {n_embd, n_vocab}, optional bias [n_vocab]
};

enum class OutputBias : uint8_t { kNone, kOptional };

EmbeddingWeights bind_embeddings(WeightBinder& b, const HParams& hp, OutputBias output_bias);

// ws.x[t] = token_embd row batch.tokens[t] as f32.
void embed_tokens(const ForwardArgs& fa, const TensorView& token_embd) noexcept;

// ws.x += ws.proj for the batch's rows.
void add_residual(const ForwardArgs& fa) noexcept;

// For each output row r: fa.logits[r] = output(rms_norm(ws.x[output_rows[r]])).
void output_logits(const ForwardArgs& fa, const Norm& norm, float eps, const Linear& output) noexcept;

}  // namespace hako::model::layers
