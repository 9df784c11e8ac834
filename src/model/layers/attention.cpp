// Self-attention block (see attention.h).
#include "model/layers/attention.h"

#include <algorithm>
#include <cmath>

#include "base/fp16.h"
#include "kernels/ops/activations.h"
#include "kernels/ops/norm.h"
#include "kernels/ops/rope.h"

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

// Heads of width hd in each row of `rows`, seen as one row per head.
ops::RowsF32 per_head(ops::RowsF32 rows, int32_t n_heads, int32_t hd) {
  return ops::dense_rows(rows.data, rows.n_rows * n_heads, hd);
}

void apply_rope(const ForwardArgs& fa, ops::RowsF32 rows, int32_t n_heads, int32_t hd) {
  const ops::RowsF32 cache = fa.ws.rope_cache(static_cast<int32_t>(rows.n_rows));
  for (int64_t t = 0; t < rows.n_rows; ++t) {
    ops::rope_apply(fa.ws.rope(), cache.row(t), {.x = rows.row(t), .n_heads = n_heads, .head_dim = hd});
  }
}

// K and V rows of the batch into their cache cells, rounded to f16.
void store_kv(const ForwardArgs& fa, int32_t il, ops::ConstRowsF32 k, ops::ConstRowsF32 v) {
  for (int64_t t = 0; t < k.n_rows; ++t) {
    const int32_t cell = fa.batch.kv_cells[static_cast<size_t>(t)];
    uint16_t* kd = fa.kv.k_row(il, cell);
    uint16_t* vd = fa.kv.v_row(il, cell);
    const float* ks = k.row(t);
    const float* vs = v.row(t);
    for (int64_t i = 0; i < k.n_cols; ++i) kd[i] = f32_to_f16(ks[i]);
    for (int64_t i = 0; i < v.n_cols; ++i) vd[i] = f32_to_f16(vs[i]);
  }
}

void attend(const ForwardArgs& fa, int32_t il, const ops::AttnShape& shape, ops::ConstRowsF32 q,
            ops::RowsF32 out) {
  const ops::AttnArgs args{.shape = shape,
                           .q = q,
                           .q_pos = fa.batch.positions.data(),
                           .q_seq = fa.batch.seq_ids.data(),
                           .kv = fa.kv.layer_view(il),
                           .out = out};
  // The partials buffer is sized for the workspace's thread count.
  const int n_threads = std::min(fa.pool.n_threads(), fa.ws.shape().n_threads);
  if (q.n_rows > 1) {  // prefill: tiles of tokens, split balanced under the causal mask
    const int32_t tile_tokens = ops::attention_tile_tokens(args, n_threads);
    fa.pool.run([&](int ith, int nth) { ops::attention_tiles(args, tile_tokens, ith, nth, fa.ws.attn_scratch(ith)); });
    return;
  }
  const ops::AttnChunked ch{.n_chunks = ops::attention_chunks(args, n_threads),
                            .partials = fa.ws.attn_partials()};
  const int64_t n_items = q.n_rows * shape.n_head_kv * ch.n_chunks;
  fa.pool.run([&](int ith, int nth) {
    const int64_t per = (n_items + nth - 1) / nth;
    const int64_t begin = std::min(n_items, per * ith);
    const int64_t end = std::min(n_items, begin + per);
    if (ch.n_chunks == 1) {
      ops::attention(args, begin, end, fa.ws.attn_scratch(ith));
    } else {
      ops::attention_chunk_units(args, ch, begin, end, fa.ws.attn_scratch(ith));
    }
  });
  if (ch.n_chunks > 1) ops::attention_combine(args, ch);
}

}  // namespace

ops::AttnShape attn_shape(const HParams& hp) {
  const float scale = hp.f_attention_scale != 0.0f
                          ? hp.f_attention_scale
                          : 1.0f / std::sqrt(static_cast<float>(hp.n_embd_head_k));
  return {.n_head = static_cast<int32_t>(hp.n_head),
          .n_head_kv = static_cast<int32_t>(hp.n_head_kv),
          .head_dim_k = static_cast<int32_t>(hp.n_embd_head_k),
          .head_dim_v = static_cast<int32_t>(hp.n_embd_head_v),
          .kq_scale = scale};
}

AttnWeights bind_attention(WeightBinder& b, const HParams& hp, int32_t il) {
  const int64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_k = hp.n_embd_k_gqa(),
                n_v = hp.n_embd_v_gqa();
  AttnWeights w;
  TensorReq qkv_req = matrix(TensorRole::kAttnQkv, il, n_embd, n_q + n_k + n_v);
  qkv_req.relayout = slice_relayout({n_q, n_k, n_v});
  if (auto qkv = b.optional(qkv_req)) {
    w.wq.w = row_slice(*qkv, 0, n_q);
    w.wk.w = row_slice(*qkv, n_q, n_k);
    w.wv.w = row_slice(*qkv, n_q + n_k, n_v);
    if (const float* bqkv = b.optional_f32(bias(TensorRole::kAttnQkv, il, n_q + n_k + n_v))) {
      w.wq.bias = bqkv;
      w.wk.bias = bqkv + n_q;
      w.wv.bias = bqkv + n_q + n_k;
    }
  } else {
    w.wq.w = b.require(matrix(TensorRole::kAttnQ, il, n_embd, n_q));
    w.wk.w = b.require(matrix(TensorRole::kAttnK, il, n_embd, n_k));
    w.wv.w = b.require(matrix(TensorRole::kAttnV, il, n_embd, n_v));
    w.wq.bias = b.optional_f32(bias(TensorRole::kAttnQ, il, n_q));
    w.wk.bias = b.optional_f32(bias(TensorRole::kAttnK, il, n_k));
    w.wv.bias = b.optional_f32(bias(TensorRole::kAttnV, il, n_v));
  }
  w.wo.w = b.require(matrix(TensorRole::kAttnOut, il, hp.n_embd_attn_out(), n_embd));
  w.wo.bias = b.optional_f32(bias(TensorRole::kAttnOut, il, n_embd));
  return w;
}

void prepare_rope(const ForwardArgs& fa) noexcept {
  const int32_t n = fa.batch.n_tokens();
  const ops::RowsF32 cache = fa.ws.rope_cache(n);
  for (int32_t t = 0; t < n; ++t) {
    ops::rope_cache(fa.ws.rope(), fa.batch.positions[static_cast<size_t>(t)], cache.row(t));
  }
}

void self_attention(const ForwardArgs& fa, int32_t il, const AttnWeights& w,
                    const AttnOptions& opt) noexcept {
  const int32_t n = fa.batch.n_tokens();
  const Workspace& ws = fa.ws;
  const ops::AttnShape& sh = opt.shape;
  const ops::RowsF32 q = ws.q(n), k = ws.k(n), v = ws.v(n);
  {
    LinearInput in(ws.xn(n), ws.acts(), fa.pool);
    linear(w.wq, in, q, fa.pool);
    linear(w.wk, in, k, fa.pool);
    linear(w.wv, in, v, fa.pool);
  }
  if (opt.q_norm != nullptr) {
    const ops::RowsF32 qh = per_head(q, sh.n_head, sh.head_dim_k);
    ops::rms_norm(qh, opt.q_norm->w, opt.norm_eps, qh);
  }
  if (opt.k_norm != nullptr) {
    const ops::RowsF32 kh = per_head(k, sh.n_head_kv, sh.head_dim_k);
    ops::rms_norm(kh, opt.k_norm->w, opt.norm_eps, kh);
  }
  apply_rope(fa, q, sh.n_head, sh.head_dim_k);
  apply_rope(fa, k, sh.n_head_kv, sh.head_dim_k);
  if (opt.q_scale != 1.0f) ops::scale(opt.q_scale, q);
  store_kv(fa, il, k, v);
  attend(fa, il, sh, q, ws.attn(n));
  LinearInput in(ws.attn(n), ws.acts(), fa.pool);
  linear(w.wo, in, ws.proj(n), fa.pool);
}

}  // namespace hako::model::layers
