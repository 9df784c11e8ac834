// Gated MLP block (SwiGLU: down(silu(gate x) * up x)), bound from separate
// ffn_gate/ffn_up tensors or from one ffn_up holding the gate rows then the
// up rows (phi3), with optional biases. Reads ws.xn, writes ws.proj.
// Mixture-of-experts blocks will live beside it (moe.h) and reuse Linear.
#pragma once

#include <cstdint>

#include "model/hparams.h"
#include "model/layers/forward_args.h"
#include "model/layers/linear.h"
#include "model/weight_binder.h"

namespace hako::model::layers {

struct MlpWeights {
  Linear gate;  // {n_embd, n_ff}
  Linear up;    // {n_embd, n_ff}
  Linear down;  // {n_ff, n_embd}
};

enum class MlpLayout : uint8_t {
  kSplitGateUp,  // blk.N.ffn_gate and blk.N.ffn_up
  kFusedGateUp,  // blk.N.ffn_up with 2*n_ff rows: gate first, then up
};

MlpWeights bind_mlp(WeightBinder& b, const HParams& hp, int32_t il, MlpLayout layout);

// ws.proj = down(silu(gate ws.xn) * up ws.xn) for the batch's rows.
void swiglu_mlp(const ForwardArgs& fa, const MlpWeights& w) noexcept;

}  // namespace hako::model::layers
