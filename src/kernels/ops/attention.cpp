// Attention over an f16 KV cache (see attention.h). Per token and run of
// KV heads: round their queries to f16; one pass over the cells (blocks of
// cells outer, KV heads inner) computes every query head's scores from one
// read of each K row; softmax per head (normalised, then rounded to f16, as
// llama.cpp does); one pass over the cells accumulates V rows weighted by
// every head's probability. The chunked decode runs the same passes over
// one chunk of the cells with the chunk's max and no normalisation, then
// combines the chunks. Prefill tiles run the passes for one KV head and
// several tokens at once (the query heads of every token of the tile as
// rows), each row's softmax over its own token's cells.
#include "kernels/ops/attention.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <limits>

#include "kernels/ops/attn_rows.h"
#include "kernels/ops/f16_inline.h"

namespace hako::ops {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

int64_t pad16(int64_t n) { return (n + 15) / 16 * 16; }

bool visible(const KvView& kv, int32_t c, int32_t pos, int32_t seq) {
  return kv.cell_pos[c] >= 0 && kv.cell_pos[c] <= pos && kv.cell_seq[c] == seq;
}

// 1 + the last cell the query may see (0 if none).
int32_t visible_end(const KvView& kv, int32_t pos, int32_t seq) {
  int32_t end = kv.n_cells;
  while (end > 0 && !visible(kv, end - 1, pos, seq)) --end;
  return end;
}

// scores -> f16 probabilities of head g; false if it sees no cell.
bool softmax_row(float* scores, uint16_t* probs, int32_t n, const AttnRowKernels& rk) {
  const float max = rk.max(scores, n);
  if (max == kNegInf) return false;
  const double sum = rk.exp_sub(scores, n, max);
  rk.to_f16_scaled(scores, static_cast<float>(1.0 / sum), probs, n);
  return true;
}

// Query heads [head0, head0 + n_q) of token t rounded to f16 (as floats)
// into q16 ([n_q][head_dim_k]), through s.q16_bits.
void round_queries(const AttnArgs& a, int64_t t, int32_t head0, int32_t n_q, float* q16, const AttnScratch& s,
                   const AttnRowKernels& rk) {
  const int32_t dk = a.shape.head_dim_k;
  for (int32_t g = 0; g < n_q; ++g) {
    rk.to_f16_scaled(a.q.row(t) + static_cast<int64_t>(head0 + g) * dk, 1.0f, s.q16_bits, dk);
    for (int32_t d = 0; d < dk; ++d) q16[static_cast<int64_t>(g) * dk + d] = f16_bits_to_f32(s.q16_bits[d]);
  }
}

// Cells per block of the passes over several KV heads: a block's rows of
// every head are read before the next block's, so the cache (which holds a
// cell's KV heads side by side) streams in address order instead of once
// per head at a stride of n_head_kv rows (measured on Zen 4 over DRAM:
// ~6 GB/s per-head strided vs ~20 GB/s blocked).
constexpr int32_t kBlockCells = 16;

// The cells [first, first + n) and KV heads [h0, h1) of a pass.
struct PassRange {
  int32_t first;
  int32_t n;
  int32_t h0;
  int32_t h1;
};

// Scores of the query heads of KV heads [h0, h1) over the range's cells
// into s.scores ([n_q][n]), cells outer in blocks, KV heads inner.
void score_blocks(const AttnArgs& a, const PassRange& pr, const AttnScratch& s, const AttnRowKernels& rk) {
  const KvView& kv = a.kv;
  const int32_t group = a.shape.n_head / a.shape.n_head_kv, dk = a.shape.head_dim_k;
  const int32_t n = pr.n, h0 = pr.h0;
  const uint16_t* k = kv.k + static_cast<int64_t>(pr.first) * kv.k_stride;
  for (int32_t c0 = 0; c0 < n; c0 += kBlockCells) {
    for (int32_t h = h0; h < pr.h1; ++h) {
      rk.scores({.k = k + c0 * kv.k_stride + static_cast<int64_t>(h) * dk,
                 .k_stride = kv.k_stride,
                 .n_cells = std::min(kBlockCells, n - c0),
                 .q = s.q16 + static_cast<int64_t>(h - h0) * group * dk,
                 .n_q = group,
                 .dim = dk,
                 .scale = a.shape.kq_scale,
                 .scores = s.scores + static_cast<int64_t>(h - h0) * group * n + c0,
                 .scores_stride = n,
                 .n_readable = n - c0});
    }
  }
}

// out0 ([n_q][head_dim_v]) += s.probs * V for the query heads of KV heads
// [h0, h1) over the range's cells, blocked as score_blocks().
void value_blocks(const AttnArgs& a, const PassRange& pr, const AttnScratch& s, float* out0,
                  const AttnRowKernels& rk) {
  const KvView& kv = a.kv;
  const int32_t group = a.shape.n_head / a.shape.n_head_kv, dv = a.shape.head_dim_v;
  const int32_t n = pr.n, h0 = pr.h0;
  const uint16_t* v = kv.v + static_cast<int64_t>(pr.first) * kv.v_stride;
  for (int32_t c0 = 0; c0 < n; c0 += kBlockCells) {
    for (int32_t h = h0; h < pr.h1; ++h) {
      rk.values({.v = v + c0 * kv.v_stride + static_cast<int64_t>(h) * dv,
                 .v_stride = kv.v_stride,
                 .n_cells = std::min(kBlockCells, n - c0),
                 .probs = s.probs + static_cast<int64_t>(h - h0) * group * n + c0,
                 .n_q = group,
                 .dim = dv,
                 .out = out0 + static_cast<int64_t>(h - h0) * group * dv,
                 .probs_stride = n,
                 .n_readable = n - c0});
    }
  }
}

// -inf scores for the range's cells the query (pos, seq) may not see.
void mask_cells(const AttnArgs& a, const PassRange& pr, int32_t n_q, int32_t pos, int32_t seq,
                const AttnScratch& s) {
  for (int32_t c = 0; c < pr.n; ++c) {
    if (visible(a.kv, pr.first + c, pos, seq)) continue;
    for (int32_t g = 0; g < n_q; ++g) s.scores[static_cast<int64_t>(g) * pr.n + c] = kNegInf;
  }
}

// KV heads [h0, h1) of token t: every query head of those KV heads, one
// pass over the cells for the scores, softmax per query head, one pass for
// the values. Each head's operations and their order are those of a pass
// over that head alone (the kernels accumulate over blocks in cell order).
void attend_heads(const AttnArgs& a, int64_t t, int32_t h0, int32_t h1, const AttnScratch& s,
                  const AttnRowKernels& rk) {
  const AttnShape& sh = a.shape;
  const int32_t group = sh.n_head / sh.n_head_kv, dv = sh.head_dim_v;
  const int32_t n_q = (h1 - h0) * group;
  const int32_t pos = a.q_pos[t], seq = a.q_seq[t];
  const int32_t n = visible_end(a.kv, pos, seq);  // cells past it are masked
  float* out0 = a.out.row(t) + static_cast<int64_t>(h0) * group * dv;
  std::fill(out0, out0 + static_cast<int64_t>(n_q) * dv, 0.0f);
  round_queries(a, t, h0 * group, n_q, s.q16, s, rk);
  if (n == 0) return;
  const PassRange pr{0, n, h0, h1};
  score_blocks(a, pr, s, rk);
  mask_cells(a, pr, n_q, pos, seq, s);
  bool any = false;
  for (int32_t g = 0; g < n_q; ++g) {
    const int64_t off = static_cast<int64_t>(g) * n;
    if (softmax_row(s.scores + off, s.probs + off, n, rk)) {
      any = true;
    } else {
      std::fill(s.probs + off, s.probs + off + n, uint16_t{0});
    }
  }
  if (any) value_blocks(a, pr, s, out0, rk);
}

// Partials of the chunked decode: for unit u = chunk * n_head_kv + kv_head
// and its query head g, o at ((u * group) + g) * dv (dv floats: sum of
// f16(exp(s - m)) * v) and (m, l) at the same index * 2 after all the o's
// (m: the chunk's max score, -inf if it sees no cell; l: sum of exp(s - m)).
struct Partials {
  float* o;
  float* ml;
};

Partials partials_of(const AttnArgs& a, const AttnChunked& ch) {
  const int64_t n_slots = static_cast<int64_t>(a.shape.n_head) * ch.n_chunks;
  return {ch.partials, ch.partials + n_slots * a.shape.head_dim_v};
}

// Units [u0, u1) of one chunk: KV heads u0 % n_head_kv .. of that chunk's
// cells, blocked over the heads as attend_heads(); each unit's partials.
void attend_chunk(const AttnArgs& a, const AttnChunked& ch, int64_t u0, int64_t u1, const AttnScratch& s,
                  const AttnRowKernels& rk) {
  const AttnShape& sh = a.shape;
  const int32_t group = sh.n_head / sh.n_head_kv, dv = sh.head_dim_v;
  const auto chunk = static_cast<int32_t>(u0 / sh.n_head_kv);
  const auto h0 = static_cast<int32_t>(u0 % sh.n_head_kv);
  const auto h1 = static_cast<int32_t>(h0 + (u1 - u0));
  const int32_t n_q = (h1 - h0) * group;
  const int64_t n_vis = visible_end(a.kv, a.q_pos[0], a.q_seq[0]);
  const auto c0 = static_cast<int32_t>(n_vis * chunk / ch.n_chunks);
  const auto n = static_cast<int32_t>(n_vis * (chunk + 1) / ch.n_chunks) - c0;
  const Partials p = partials_of(a, ch);
  float* o = p.o + u0 * group * dv;
  float* ml = p.ml + u0 * group * 2;
  std::fill(o, o + static_cast<int64_t>(n_q) * dv, 0.0f);
  for (int32_t g = 0; g < n_q; ++g) ml[2 * g] = kNegInf, ml[2 * g + 1] = 0.0f;
  if (n == 0) return;
  round_queries(a, 0, h0 * group, n_q, s.q16, s, rk);
  const PassRange pr{c0, n, h0, h1};
  score_blocks(a, pr, s, rk);
  mask_cells(a, pr, n_q, a.q_pos[0], a.q_seq[0], s);
  for (int32_t g = 0; g < n_q; ++g) {
    float* row = s.scores + static_cast<int64_t>(g) * n;
    uint16_t* probs = s.probs + static_cast<int64_t>(g) * n;
    const float max = rk.max(row, n);
    if (max == kNegInf) {
      std::fill(probs, probs + n, uint16_t{0});
      continue;
    }
    const double sum = rk.exp_sub(row, n, max);
    rk.to_f16_scaled(row, 1.0f, probs, n);
    ml[2 * g] = max;
    ml[2 * g + 1] = static_cast<float>(sum);
  }
  value_blocks(a, pr, s, o, rk);
}

// ---------------------------------------------------------------- prefill tiles

// Query rows (tokens x the query heads of one KV head) a tile aims for: its
// K and V rows are read once for all of them (the row kernels take up to
// four query rows per conversion and keep a 16-cell block in L1 across the
// rest).
constexpr int32_t kTileRows = 16;
// Most tokens in a tile (group 1).
constexpr int32_t kMaxTileTokens = kTileRows;

int32_t group_of(const AttnShape& sh) { return sh.n_head / sh.n_head_kv; }

int32_t max_tile_tokens(const AttnShape& sh) { return std::max(1, kTileRows / group_of(sh)); }

// Rows of scores (and of q16 and the tile outputs) the scratch holds.
int64_t scratch_rows(const AttnShape& sh) {
  return std::max<int64_t>(sh.n_head, static_cast<int64_t>(max_tile_tokens(sh)) * group_of(sh));
}

// Tokens t[0 .. n_tok) (ascending, one sequence) and KV head h: row
// r = i * group + g of the tile is query head h * group + g of token t[i].
struct Tile {
  int64_t t[kMaxTileTokens];
  int32_t n_tok;
  int32_t h;
};

// Each token's visible_end() (n_vis) and whether a cell below it is hidden
// from it (holes), in one pass over the cells: a cell's key is its
// position if it holds the tile's sequence, else above every position; a
// token sees the cells whose key is <= its position.
void tile_visibility(const AttnArgs& a, const Tile& tl, int32_t* n_vis, bool* holes) {
  const KvView& kv = a.kv;
  const int32_t seq = a.q_seq[tl.t[0]];
  int32_t pos[kMaxTileTokens] = {};
  for (int32_t i = 0; i < tl.n_tok; ++i) {
    n_vis[i] = 0;
    holes[i] = false;
    pos[i] = a.q_pos[tl.t[i]];
  }
  constexpr int32_t kHidden = std::numeric_limits<int32_t>::max();
  const int32_t min_pos = *std::min_element(pos, pos + tl.n_tok), max_pos = *std::max_element(pos, pos + tl.n_tok);
  int32_t max_key = std::numeric_limits<int32_t>::min();  // of the cells before c
  int32_t all_end = 0, all_max_key = max_key;  // the last cell every token sees (+1), max_key there
  for (int32_t c = 0; c < kv.n_cells; ++c) {
    const int32_t key = kv.cell_pos[c] >= 0 && kv.cell_seq[c] == seq ? kv.cell_pos[c] : kHidden;
    if (key <= min_pos) {  // seen by every token: settled after the loop
      all_end = c + 1;
      all_max_key = max_key;
    } else if (key <= max_pos) {
      for (int32_t i = 0; i < tl.n_tok; ++i) {
        if (key > pos[i]) continue;
        n_vis[i] = c + 1;
        holes[i] = max_key > pos[i];
      }
    }
    max_key = std::max(max_key, key);
  }
  for (int32_t i = 0; i < tl.n_tok; ++i) {
    if (n_vis[i] >= all_end) continue;
    n_vis[i] = all_end;
    holes[i] = all_max_key > pos[i];
  }
}

// -inf scores for the cells [0, n_vis) token t may not see, in its group
// rows at `scores` (row stride ld).
void mask_token(const AttnArgs& a, int64_t t, int32_t n_vis, float* scores, int64_t ld, int32_t group) {
  const int32_t pos = a.q_pos[t], seq = a.q_seq[t];
  for (int32_t c = 0; c < n_vis; ++c) {
    if (visible(a.kv, c, pos, seq)) continue;
    for (int32_t g = 0; g < group; ++g) scores[g * ld + c] = kNegInf;
  }
}

// One tile: the scores of every row over the cells [0, n) (n: the most any
// token of the tile sees) from one pass over the KV head's K rows, each
// row's softmax over its own token's visible range (as attend_heads()),
// zero probabilities past it, one pass over the V rows into s.acc, then
// the rows out. Each row's arithmetic is that of attend_heads().
void attend_tile(const AttnArgs& a, const Tile& tl, const AttnScratch& s, const AttnRowKernels& rk) {
  const AttnShape& sh = a.shape;
  const int32_t group = group_of(sh), dk = sh.head_dim_k, dv = sh.head_dim_v;
  const int32_t n_rows = tl.n_tok * group;
  int32_t n_vis[kMaxTileTokens];
  bool holes[kMaxTileTokens];
  tile_visibility(a, tl, n_vis, holes);
  const int32_t n = *std::max_element(n_vis, n_vis + tl.n_tok);
  std::fill(s.acc, s.acc + static_cast<int64_t>(n_rows) * dv, 0.0f);
  bool any = false;
  if (n > 0) {
    for (int32_t i = 0; i < tl.n_tok; ++i) {
      round_queries(a, tl.t[i], tl.h * group, group, s.q16 + static_cast<int64_t>(i) * group * dk, s, rk);
    }
    rk.scores_tile({.k = a.kv.k + static_cast<int64_t>(tl.h) * dk, .k_stride = a.kv.k_stride, .n_cells = n,
                    .q = s.q16, .n_q = n_rows, .dim = dk, .scale = sh.kq_scale, .scores = s.scores,
                    .scores_stride = n, .n_readable = a.kv.n_cells});
    for (int32_t i = 0; i < tl.n_tok; ++i) {
      const int64_t off = static_cast<int64_t>(i) * group * n;
      if (holes[i]) mask_token(a, tl.t[i], n_vis[i], s.scores + off, n, group);
      for (int32_t g = 0; g < group; ++g) {
        float* row = s.scores + off + static_cast<int64_t>(g) * n;
        uint16_t* probs = s.probs + off + static_cast<int64_t>(g) * n;
        const bool sees = softmax_row(row, probs, n_vis[i], rk);
        any = any || sees;
        std::fill(probs + (sees ? n_vis[i] : 0), probs + n, uint16_t{0});
      }
    }
  }
  if (any) {
    rk.values_tile({.v = a.kv.v + static_cast<int64_t>(tl.h) * dv, .v_stride = a.kv.v_stride, .n_cells = n,
                    .probs = s.probs, .n_q = n_rows, .dim = dv, .out = s.acc, .probs_stride = n,
                    .n_readable = a.kv.n_cells});
  }
  for (int32_t i = 0; i < tl.n_tok; ++i) {
    const float* src = s.acc + static_cast<int64_t>(i) * group * dv;
    std::copy(src, src + static_cast<int64_t>(group) * dv, a.out.row(tl.t[i]) + static_cast<int64_t>(tl.h) * group * dv);
  }
}

// Tokens [t0, t0 + n) of KV head h as tiles of one sequence each (a batch
// that mixes sequences would otherwise score every token over the cells of
// all of them).
void attend_tokens(const AttnArgs& a, int64_t t0, int32_t n, int32_t h, const AttnScratch& s,
                   const AttnRowKernels& rk) {
  uint32_t left = (1u << n) - 1u;  // bit i: token t0 + i not done yet (n <= 16)
  while (left != 0) {
    Tile tl{.t = {}, .n_tok = 0, .h = h};
    const int32_t seq = a.q_seq[t0 + std::countr_zero(left)];
    for (int32_t i = 0; i < n; ++i) {
      if ((left >> i & 1u) == 0 || a.q_seq[t0 + i] != seq) continue;
      tl.t[tl.n_tok++] = t0 + i;
      left &= ~(1u << i);
    }
    attend_tile(a, tl, s, rk);
  }
}

}  // namespace

int64_t attention_scratch_floats(int32_t n_cells, const AttnShape& shape) {
  const int64_t rows = scratch_rows(shape);
  const int64_t cells = rows * n_cells;
  return pad16(cells) + pad16((cells + 1) / 2) + pad16(rows * shape.head_dim_k) + pad16((shape.head_dim_k + 1) / 2) +
         pad16(rows * shape.head_dim_v);
}

AttnScratch attention_scratch(float* buf, int32_t n_cells, const AttnShape& shape) {
  const int64_t rows = scratch_rows(shape);
  const int64_t cells = rows * n_cells;
  AttnScratch s;
  s.scores = buf;
  buf += pad16(cells);
  s.probs = reinterpret_cast<uint16_t*>(buf);
  buf += pad16((cells + 1) / 2);
  s.q16 = buf;
  buf += pad16(rows * shape.head_dim_k);
  s.q16_bits = reinterpret_cast<uint16_t*>(buf);
  buf += pad16((shape.head_dim_k + 1) / 2);
  s.acc = buf;
  return s;
}

void attention(const AttnArgs& args, int64_t item_begin, int64_t item_end,
               AttnScratch scratch) noexcept {
  const AttnRowKernels& rk = attn_row_kernels();
  const int32_t n_kv = args.shape.n_head_kv;
  for (int64_t i = item_begin; i < item_end;) {  // runs of items of one token
    const int64_t t = i / n_kv;
    const int64_t end = std::min(item_end, (t + 1) * n_kv);
    attend_heads(args, t, static_cast<int32_t>(i - t * n_kv), static_cast<int32_t>(end - t * n_kv), scratch, rk);
    i = end;
  }
}

}  // namespace hako::ops

namespace hako::ops {

int32_t attention_chunks(const AttnArgs& args, int n_threads) {
  if (args.q.n_rows != 1 || n_threads <= 1) return 1;
  const int32_t n_kv = args.shape.n_head_kv;
  const int32_t chunks = n_threads / std::gcd(n_kv, n_threads);
  return std::max(1, std::min(chunks, args.kv.n_cells / kAttnMinChunkCells));
}

int64_t attention_partials_floats(const AttnShape& shape, int n_threads) {
  return static_cast<int64_t>(shape.n_head) * n_threads * (shape.head_dim_v + 2);
}

void attention_chunk_units(const AttnArgs& args, const AttnChunked& ch, int64_t unit_begin,
                           int64_t unit_end, AttnScratch scratch) noexcept {
  const AttnRowKernels& rk = attn_row_kernels();
  const int32_t n_kv = args.shape.n_head_kv;
  for (int64_t u = unit_begin; u < unit_end;) {  // runs of units of one chunk
    const int64_t end = std::min(unit_end, (u / n_kv + 1) * n_kv);
    attend_chunk(args, ch, u, end, scratch, rk);
    u = end;
  }
}

void attention_combine(const AttnArgs& args, const AttnChunked& ch) noexcept {
  const int32_t dv = args.shape.head_dim_v;
  const Partials p = partials_of(args, ch);
  const int32_t group = args.shape.n_head / args.shape.n_head_kv;
  for (int32_t h = 0; h < args.shape.n_head; ++h) {
    const int32_t kv_head = h / group, g = h % group;
    // slot of chunk c of head h: (c * n_head_kv + kv_head) * group + g
    auto slot = [&](int32_t c) { return (static_cast<int64_t>(c) * args.shape.n_head_kv + kv_head) * group + g; };
    float max = kNegInf;
    for (int32_t c = 0; c < ch.n_chunks; ++c) max = std::max(max, p.ml[2 * slot(c)]);
    float* out = args.out.row(0) + static_cast<int64_t>(h) * dv;
    std::fill(out, out + dv, 0.0f);
    if (max == kNegInf) continue;
    double sum = 0.0;
    for (int32_t c = 0; c < ch.n_chunks; ++c) {
      const float m = p.ml[2 * slot(c)];
      if (m != kNegInf) sum += std::exp(static_cast<double>(m) - max) * p.ml[2 * slot(c) + 1];
    }
    for (int32_t c = 0; c < ch.n_chunks; ++c) {
      const float m = p.ml[2 * slot(c)];
      if (m == kNegInf) continue;
      const auto w = static_cast<float>(std::exp(static_cast<double>(m) - max) / sum);
      const float* o = p.o + slot(c) * dv;
      for (int32_t d = 0; d < dv; ++d) out[d] += w * o[d];
    }
  }
}

}  // namespace hako::ops

namespace hako::ops {

int32_t attention_tile_tokens(const AttnArgs& args, int n_threads) {
  const int64_t n_tok = args.q.n_rows;
  int32_t tq = max_tile_tokens(args.shape);
  // Smaller tiles while there would be fewer than two units per thread.
  while (tq > 1 && (n_tok + tq - 1) / tq * args.shape.n_head_kv < 2 * static_cast<int64_t>(n_threads)) tq /= 2;
  return tq;
}

void attention_tiles(const AttnArgs& args, int32_t tile_tokens, int ith, int nth, AttnScratch scratch) noexcept {
  const AttnRowKernels& rk = attn_row_kernels();
  const int64_t n_tok = args.q.n_rows;
  const int32_t tq = std::clamp(tile_tokens, 1, max_tile_tokens(args.shape));
  const int64_t n_tiles = (n_tok + tq - 1) / tq;
  const int64_t n_units = n_tiles * args.shape.n_head_kv;
  const int64_t period = 2 * static_cast<int64_t>(nth);
  for (int64_t base = 0; base < n_units; base += period) {
    for (const int64_t u : {base + ith, base + period - 1 - ith}) {
      if (u >= n_units) continue;
      const int64_t t0 = u % n_tiles * tq;
      attend_tokens(args, t0, static_cast<int32_t>(std::min<int64_t>(tq, n_tok - t0)), static_cast<int32_t>(u / n_tiles),
                    scratch, rk);
    }
  }
}

}  // namespace hako::ops
