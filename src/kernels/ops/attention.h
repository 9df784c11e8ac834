// Scaled dot-product attention of query rows over an f16 K/V cache, for any
// number of query and KV heads (GQA), with a mask derived from the cache's
// cell positions and sequence ids (a query sees a cell when it holds the same
// sequence at a position <= the query's: causal). It mirrors llama.cpp's
// non-flash CPU path with an F16 cache: Q is rounded to f16 before K.Q, the
// softmax is taken in float with a double sum, and the probabilities are
// rounded to f16 before V.P. Work is split in items of (token, KV head):
// one item reads each visible K row and V row of its KV head once for all
// the query heads that share it (GQA), keeping one row of scores per query
// head (n_cells floats): no score matrix. Single-threaded over the item range
// it is given; callers split [0, n_tok * n_head_kv) across threads. The row
// primitives come from attn_rows.h (SIMD, bit-identical to the scalar
// reference). No allocation.
#pragma once

#include <cstdint>

#include "kernels/ops/rows.h"

namespace hako::ops {

// One layer of a KV cache. Cell c's K row is k + c*k_stride (n_head_kv heads
// of head_dim_k halves), its V row v + c*v_stride.
struct KvView {
  const uint16_t* k = nullptr;
  const uint16_t* v = nullptr;
  int64_t k_stride = 0;  // halves between cells
  int64_t v_stride = 0;
  int32_t n_cells = 0;            // cells [0, n_cells) are scanned
  const int32_t* cell_pos = nullptr;  // [n_cells] position held, -1 if empty
  const int32_t* cell_seq = nullptr;  // [n_cells] sequence id held, -1 if empty
};

struct AttnShape {
  int32_t n_head = 0;
  int32_t n_head_kv = 0;  // divides n_head; query head h reads KV head h / (n_head / n_head_kv)
  int32_t head_dim_k = 0;
  int32_t head_dim_v = 0;
  float kq_scale = 1.0f;  // multiplies K.Q before the softmax
};

struct AttnArgs {
  AttnShape shape;
  ConstRowsF32 q;            // [n_tok][n_head * head_dim_k]
  const int32_t* q_pos = nullptr;  // [n_tok]
  const int32_t* q_seq = nullptr;  // [n_tok]
  KvView kv;
  RowsF32 out;               // [n_tok][n_head * head_dim_v]
};

// Per-thread scratch for one item: scores and probs hold n_cells entries per
// query head of a group, q16 head_dim_k floats per head, q16_bits head_dim_k.
struct AttnScratch {
  float* scores = nullptr;
  uint16_t* probs = nullptr;
  float* q16 = nullptr;
  uint16_t* q16_bits = nullptr;
};

// Floats of scratch one thread needs for n_cells cells and this shape.
int64_t attention_scratch_floats(int32_t n_cells, const AttnShape& shape);
// Splits a buffer of attention_scratch_floats() floats into an AttnScratch.
AttnScratch attention_scratch(float* buf, int32_t n_cells, const AttnShape& shape);

// Computes items [item_begin, item_end) of n_tok * n_head_kv; item i is
// token i / n_head_kv, KV head i % n_head_kv and its n_head / n_head_kv
// query heads. A query that sees no cell gets zeros.
void attention(const AttnArgs& args, int64_t item_begin, int64_t item_end,
               AttnScratch scratch) noexcept;

}  // namespace hako::ops
