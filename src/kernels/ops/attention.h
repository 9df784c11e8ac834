// Scaled dot-product attention of query rows over an f16 K/V cache, for any
// number of query and KV heads (GQA), with a mask derived from the cache's
// cell positions and sequence ids (a query sees a cell when it holds the same
// sequence at a position <= the query's: causal). It mirrors llama.cpp's
// non-flash CPU path with an F16 cache: Q is rounded to f16 before K.Q, the
// softmax is taken in float with a double sum, and the probabilities are
// rounded to f16 before V.P. Per (token, head) item it reads each visible K
// row once and each V row once, keeping one row of scores (n_cells floats):
// no score matrix. Single-threaded over the item range it is given; callers
// split [0, n_tok * n_head) across threads. No allocation.
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

// Per-thread scratch: scores and probs hold kv.n_cells entries, q16 holds
// head_dim_k floats.
struct AttnScratch {
  float* scores = nullptr;
  uint16_t* probs = nullptr;
  float* q16 = nullptr;
};

// Floats of scratch one thread needs (scores + probs + q16, 64-byte padded).
int64_t attention_scratch_floats(int32_t n_cells, int32_t head_dim_k);
// Splits a buffer of attention_scratch_floats() floats into an AttnScratch.
AttnScratch attention_scratch(float* buf, int32_t n_cells, int32_t head_dim_k);

// Computes items [item_begin, item_end) of n_tok * n_head; item i is token
// i / n_head, head i % n_head. A query that sees no cell gets zeros.
void attention(const AttnArgs& args, int64_t item_begin, int64_t item_end,
               AttnScratch scratch) noexcept;

}  // namespace hako::ops
