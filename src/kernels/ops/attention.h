// Scaled dot-product attention of query rows over an f16 K/V cache, for any
// number of query and KV heads (GQA), with a mask derived from the cache's
// cell positions and sequence ids (a query sees a cell when it holds the same
// sequence at a position <= the query's: causal). It mirrors llama.cpp's
// non-flash CPU path with an F16 cache: Q is rounded to f16 before K.Q, the
// softmax is taken in float with a double sum, and the probabilities are
// rounded to f16 before V.P. Work is split in items of (token, KV head);
// the items of one token in a thread's range are done together: each pass
// walks the cells in blocks and, per block, every KV head of the range, so
// the cache (a cell's KV heads side by side) is read in address order, each
// K and V row once for all the query heads that share it (GQA). Each query
// head's arithmetic is that of a pass over its KV head alone. One row of
// scores per query head (n_cells floats). Single-threaded over the item range
// it is given; callers split [0, n_tok * n_head_kv) across threads. The row
// primitives come from attn_rows.h (SIMD, bit-identical to the scalar
// reference). No allocation. Prefill (several tokens) uses the tiles
// below instead, which give the same bits with each K/V row read once per
// tile of tokens.
//
// Chunked decode: when one token is decoded over a long context and the KV
// heads alone do not spread evenly over the threads (few KV heads, or a
// count the threads do not divide), the context of each KV head is also cut
// in chunks: each (KV head, chunk) unit computes a partial softmax (its own
// max, sum and unnormalised f16-rounded weights times V) and a serial
// combine rescales and adds the chunks. It rounds differently from the
// items path (the f16 weights are relative to the chunk's max, not the
// normalised probabilities): against a double reference at 600-4096 cells
// its max error is 6e-5..7e-5 vs the items path's 9e-5..7e-4 (measured in
// tests/model/ops_test.cpp); attention_chunks() never picks it below
// 2 * kAttnMinChunkCells cells, so short contexts keep llama.cpp's rounding.
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

// Per-thread scratch: scores and probs hold n_cells entries per row, q16
// head_dim_k floats per row, acc head_dim_v floats per row, q16_bits
// head_dim_k; rows: the larger of n_head (one token's query heads) and a
// prefill tile's rows (attention_tiles()).
struct AttnScratch {  // (sized for n_cells; chunked units use less)
  float* scores = nullptr;
  uint16_t* probs = nullptr;
  float* q16 = nullptr;
  uint16_t* q16_bits = nullptr;
  float* acc = nullptr;
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

// Prefill tiles: several query tokens at once. A unit is (KV head, tile of
// tile_tokens consecutive tokens), done as one tile per sequence among its
// tokens: a tile's rows are its tokens times the query heads of that KV
// head (at most 16 rows, or one token's group if larger); one pass over
// the cells computes every row's scores from one read of each K row, each
// row takes its softmax over its own token's visible cells (as
// attention()), and one pass over the V rows accumulates every row. Each
// row's arithmetic is that of attention(): the output bits are the same,
// whatever the tile size and thread split. Scratch: scores and probs of
// n_cells per row (AttnScratch). No allocation.
//
// Tokens per tile for a pass of args on n_threads threads: the most the
// shape's scratch allows (16 / group, at least 1), halved while there
// would be fewer than two units per thread.
int32_t attention_tile_tokens(const AttnArgs& args, int n_threads);

// Computes thread ith of nth's units of the (KV head)-major list of
// n_head_kv * ceil(n_tok / tile_tokens) units, dealt out in a snake order
// (in each run of 2 * nth units, thread i takes the i-th and the
// (2 nth - 1 - i)-th), which balances the causal mask's rising cost.
// Single-threaded; the threads' calls together cover every unit once.
void attention_tiles(const AttnArgs& args, int32_t tile_tokens, int ith, int nth, AttnScratch scratch) noexcept;

// Fewest cells per chunk of the chunked decode.
inline constexpr int32_t kAttnMinChunkCells = 256;

// Chunks per KV head for a forward pass of args on n_threads threads: 1
// (use attention()) unless args has one token, n_threads > 1 does not divide
// n_head_kv, and the context is long enough; else n_threads /
// gcd(n_head_kv, n_threads), at most n_cells / kAttnMinChunkCells. Then
// n_head_kv * chunks units split evenly over n_threads.
int32_t attention_chunks(const AttnArgs& args, int n_threads);

// Floats of the shared partials buffer for up to n_threads chunks.
int64_t attention_partials_floats(const AttnShape& shape, int n_threads);

struct AttnChunked {
  int32_t n_chunks = 1;      // from attention_chunks(), <= the n_threads sized for
  float* partials = nullptr;  // attention_partials_floats() floats, shared
};

// Computes units [unit_begin, unit_end) of n_head_kv * n_chunks for the one
// token of args; unit u is chunk u / n_head_kv, KV head u % n_head_kv (the
// units of one chunk in a range are done together, blocked as attention()),
// and writes only its own slice of partials. Single-threaded.
void attention_chunk_units(const AttnArgs& args, const AttnChunked& ch, int64_t unit_begin,
                           int64_t unit_end, AttnScratch scratch) noexcept;

// After every unit is done: combines the chunks into args.out (one thread).
void attention_combine(const AttnArgs& args, const AttnChunked& ch) noexcept;

}  // namespace hako::ops
