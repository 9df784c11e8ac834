// The prefill tiles of attention (attention_tiles() in
// src/kernels/ops/attention.h) against the per-token items path,
// attention(), bit for bit: GQA groups 1, 2, 4 and 8, head dims 64, 72
// (a dot product tail is not needed, 75 is), 75, 80, 128, 256 and 264 (past
// the AVX-512 tile buffers), token counts that no tile size divides, every
// tile size and several thread splits, caches with holes (empty cells,
// cells of another sequence inside the visible range), batches mixing two
// sequences inside a tile and a token that sees no cell. Then on a real
// thread pool (as src/model/layers/attention.cpp runs it) and against a
// double-precision reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "base/fp16.h"
#include "kernels/ops/attention.h"
#include "kernels/thread_pool.h"
#include "support/random_vec.h"

namespace hako::ops {
namespace {

using test::random_vec;

// A cache and a batch of query tokens over it.
struct Case {
  int32_t n_head, n_head_kv, hd, n_tok;
  int32_t depth = 0;     // cells filled before the batch's own
  int32_t n_seq = 1;     // the batch alternates over this many sequences (runs of 3 tokens)
  int32_t holes = 0;     // every holes-th cell of the depth is empty or of sequence 7 (0: none)
};

struct Batch {
  std::vector<uint16_t> k, v;
  std::vector<int32_t> cell_pos, cell_seq, q_pos, q_seq;
  std::vector<float> q;
  AttnArgs args;
};

// Cells [0, depth) hold sequence 0's first positions (with holes), then each
// batch token's own cell follows in batch order (as a KV cache stores them).
void build(const Case& cs, Batch& s) {
  const int32_t n_cells = cs.depth + cs.n_tok, width = cs.n_head_kv * cs.hd;
  for (float f : random_vec(static_cast<size_t>(n_cells) * width, 51, 1.5f)) s.k.push_back(f32_to_f16(f));
  for (float f : random_vec(static_cast<size_t>(n_cells) * width, 52)) s.v.push_back(f32_to_f16(f));
  s.q = random_vec(static_cast<size_t>(cs.n_tok) * cs.n_head * cs.hd, 53, 2.0f);
  std::vector<int32_t> next(static_cast<size_t>(cs.n_seq), 0);
  next[0] = cs.depth;
  for (int32_t c = 0; c < cs.depth; ++c) {
    const bool hole = cs.holes > 0 && c % cs.holes == cs.holes - 1;
    s.cell_pos.push_back(hole && c % 2 == 0 ? -1 : c);
    s.cell_seq.push_back(hole ? (c % 2 == 0 ? -1 : 7) : 0);
  }
  for (int32_t t = 0; t < cs.n_tok; ++t) {
    const int32_t seq = (t / 3) % cs.n_seq;
    s.q_seq.push_back(seq);
    s.q_pos.push_back(next[static_cast<size_t>(seq)]++);
    s.cell_pos.push_back(s.q_pos.back());
    s.cell_seq.push_back(seq);
  }
  s.args = {.shape = {.n_head = cs.n_head, .n_head_kv = cs.n_head_kv, .head_dim_k = cs.hd, .head_dim_v = cs.hd,
                      .kq_scale = 1.0f / std::sqrt(static_cast<float>(cs.hd))},
            .q = ConstRowsF32(s.q.data(), cs.n_tok, cs.n_head * cs.hd, cs.n_head * cs.hd),
            .q_pos = s.q_pos.data(),
            .q_seq = s.q_seq.data(),
            .kv = {.k = s.k.data(), .v = s.v.data(), .k_stride = width, .v_stride = width, .n_cells = n_cells,
                   .cell_pos = s.cell_pos.data(), .cell_seq = s.cell_seq.data()},
            .out = {}};
}

std::vector<uint32_t> bits(const std::vector<float>& v) {
  std::vector<uint32_t> b(v.size());
  std::memcpy(b.data(), v.data(), v.size() * sizeof(float));
  return b;
}

// The items path, one call over every item.
std::vector<float> run_items(Batch& s) {
  std::vector<float> out(static_cast<size_t>(s.args.q.n_rows * s.args.shape.n_head * s.args.shape.head_dim_v), -1.0f);
  s.args.out = dense_rows(out.data(), s.args.q.n_rows, s.args.shape.n_head * s.args.shape.head_dim_v);
  const int32_t n_cells = s.args.kv.n_cells;
  std::vector<float> scratch(static_cast<size_t>(attention_scratch_floats(n_cells, s.args.shape)));
  attention(s.args, 0, s.args.q.n_rows * s.args.shape.n_head_kv, attention_scratch(scratch.data(), n_cells, s.args.shape));
  return out;
}

// The tiles, the nth threads' shares one after the other on one scratch.
std::vector<float> run_tiles(Batch& s, int32_t tile_tokens, int nth) {
  std::vector<float> out(static_cast<size_t>(s.args.q.n_rows * s.args.shape.n_head * s.args.shape.head_dim_v), -1.0f);
  s.args.out = dense_rows(out.data(), s.args.q.n_rows, s.args.shape.n_head * s.args.shape.head_dim_v);
  const int32_t n_cells = s.args.kv.n_cells;
  std::vector<float> scratch(static_cast<size_t>(attention_scratch_floats(n_cells, s.args.shape)), -3.0f);
  for (int ith = 0; ith < nth; ++ith) {
    attention_tiles(s.args, tile_tokens, ith, nth, attention_scratch(scratch.data(), n_cells, s.args.shape));
  }
  return out;
}

TEST(OpsAttnTiles, SameBitsAsItemsPath) {
  const Case cases[] = {
      {4, 4, 64, 37},                                         // group 1: 16 tokens a tile
      {16, 8, 128, 45, 20},                                   // group 2 (qwen3-0.6b's heads)
      {32, 8, 64, 23, 5},                                     // group 4 (llama-3.2-1b's)
      {8, 1, 80, 19, 33, 1, 4},                               // group 8, holes in the depth
      {6, 2, 75, 29, 10, 2},                                  // group 3, two sequences in a tile, a dim tail
      {8, 2, 256, 21, 0, 3},                                  // three sequences
      {4, 2, 264, 11, 7, 1, 3},                               // past the tile buffers' dims
      {12, 4, 72, 1},                                         // one token
  };
  for (const Case& cs : cases) {
    Batch s;
    build(cs, s);
    const auto want = bits(run_items(s));
    const int32_t max_tile = std::max(1, 16 / (cs.n_head / cs.n_head_kv));
    for (const int32_t tq : {1, 2, 3, max_tile}) {
      for (const int nth : {1, 2, 3}) {
        EXPECT_EQ(bits(run_tiles(s, tq, nth)), want)
            << cs.n_head << "/" << cs.n_head_kv << " hd " << cs.hd << " tokens " << cs.n_tok << " tile " << tq
            << " threads " << nth;
      }
    }
  }
}

// A token of a sequence with no cell gets zeros; its tile's other tokens
// are unaffected (the items path says what they get).
TEST(OpsAttnTiles, TokenThatSeesNothingGetsZeros) {
  Batch s;
  build({8, 4, 64, 10, 12}, s);
  s.q_seq[4] = 9;  // no cell holds sequence 9
  const auto want = bits(run_items(s));
  const auto got = run_tiles(s, 8, 1);
  EXPECT_EQ(bits(got), want);
  const size_t row = static_cast<size_t>(8 * 64);
  for (size_t i = 4 * row; i < 5 * row; ++i) ASSERT_EQ(got[i], 0.0f) << i;
}

TEST(OpsAttnTiles, TileTokensShrinkForFewTokens) {
  Batch s;
  build({16, 8, 64, 512}, s);
  EXPECT_EQ(attention_tile_tokens(s.args, 2), 8);  // 16 rows / group 2
  Batch few;
  build({4, 4, 64, 9}, few);  // group 1: up to 16 tokens a tile
  // Halved while there are fewer than two units (tiles x 4 KV heads) per thread.
  EXPECT_EQ(attention_tile_tokens(few.args, 1), 16);  // 4 units
  EXPECT_EQ(attention_tile_tokens(few.args, 4), 8);   // 8
  EXPECT_EQ(attention_tile_tokens(few.args, 8), 2);   // 20
}

// On a thread pool with per-thread scratch, as the model runs it, and
// against a double reference from the f16-rounded queries.
TEST(OpsAttnTiles, ThreadPoolAndDoubleReference) {
  const Case cs{16, 4, 64, 70, 30, 1, 5};
  Batch s;
  build(cs, s);
  const auto want = run_items(s);
  std::vector<float> out(want.size(), -1.0f);
  s.args.out = dense_rows(out.data(), cs.n_tok, cs.n_head * cs.hd);
  const int n_threads = 3;
  const int32_t n_cells = s.args.kv.n_cells;
  const auto per = static_cast<size_t>(attention_scratch_floats(n_cells, s.args.shape));
  std::vector<float> scratch(per * n_threads);
  const int32_t tq = attention_tile_tokens(s.args, n_threads);
  ThreadPool pool(n_threads);
  pool.run([&](int ith, int nth) {
    attention_tiles(s.args, tq, ith, nth, attention_scratch(scratch.data() + per * static_cast<size_t>(ith), n_cells, s.args.shape));
  });
  EXPECT_EQ(bits(out), bits(want));
  const int32_t group = cs.n_head / cs.n_head_kv, width = cs.n_head_kv * cs.hd;
  double err = 0.0;
  for (int32_t t = 0; t < cs.n_tok; ++t) {
    for (int32_t h = 0; h < cs.n_head; ++h) {
      std::vector<double> w(static_cast<size_t>(n_cells), 0.0);
      double max = -1e300, sum = 0.0;
      for (int32_t c = 0; c < n_cells; ++c) {
        if (s.cell_pos[c] < 0 || s.cell_pos[c] > s.q_pos[t] || s.cell_seq[c] != s.q_seq[t]) continue;
        double d = 0.0;
        for (int32_t i = 0; i < cs.hd; ++i) {
          d += double{f16_to_f32(f32_to_f16(s.q[static_cast<size_t>((t * cs.n_head + h) * cs.hd + i)]))} *
               f16_to_f32(s.k[static_cast<size_t>(c * width + (h / group) * cs.hd + i)]);
        }
        w[static_cast<size_t>(c)] = d * s.args.shape.kq_scale;
        max = std::max(max, w[static_cast<size_t>(c)]);
      }
      for (int32_t c = 0; c < n_cells; ++c) {
        const bool vis = s.cell_pos[c] >= 0 && s.cell_pos[c] <= s.q_pos[t] && s.cell_seq[c] == s.q_seq[t];
        w[static_cast<size_t>(c)] = vis ? std::exp(w[static_cast<size_t>(c)] - max) : 0.0;
        sum += w[static_cast<size_t>(c)];
      }
      for (int32_t i = 0; i < cs.hd; ++i) {
        double o = 0.0;
        for (int32_t c = 0; c < n_cells; ++c) {
          o += w[static_cast<size_t>(c)] / sum * f16_to_f32(s.v[static_cast<size_t>(c * width + (h / group) * cs.hd + i)]);
        }
        err = std::max(err, std::fabs(out[static_cast<size_t>((t * cs.n_head + h) * cs.hd + i)] - o));
      }
    }
  }
  // f16 probabilities (relative error <= 2^-11 each, more in the f16
  // subnormal range) over <= 100 cells of values ~N(0, 1): measured 9.0e-4
  // (the items path's, bit for bit); its bound in ops_test is 3e-3.
  EXPECT_LT(err, 2e-3);
  std::printf("max err vs double: %.3g\n", err);
}

}  // namespace
}  // namespace hako::ops
