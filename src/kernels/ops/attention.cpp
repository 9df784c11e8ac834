// Attention over an f16 KV cache (see attention.h). Per item (token, KV
// head): round the group's queries to f16; one pass over the cells computes
// every query head's scores from one read of each K row; softmax per head
// (normalised, then rounded to f16, as llama.cpp does); one pass over the
// cells accumulates V rows weighted by every head's probability.
#include "kernels/ops/attention.h"

#include <algorithm>
#include <limits>

#include "base/fp16.h"
#include "kernels/ops/attn_rows.h"

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

struct Item {
  int64_t t;        // token
  int32_t kv_head;
  int32_t group;    // query heads per KV head
};

// Scores of every query head of the item: scores[g * n_cells + c]; cells
// the token may not see get -inf.
void score_pass(const AttnArgs& a, const Item& it, int32_t n, const AttnScratch& s,
                const AttnRowKernels& rk) {
  const KvView& kv = a.kv;
  const int32_t dk = a.shape.head_dim_k;
  rk.scores({.k = kv.k + static_cast<int64_t>(it.kv_head) * dk,
             .k_stride = kv.k_stride,
             .n_cells = n,
             .q = s.q16,
             .n_q = it.group,
             .dim = dk,
             .scale = a.shape.kq_scale,
             .scores = s.scores});
  const int32_t pos = a.q_pos[it.t], seq = a.q_seq[it.t];
  for (int32_t c = 0; c < n; ++c) {
    if (visible(kv, c, pos, seq)) continue;
    for (int32_t g = 0; g < it.group; ++g) s.scores[static_cast<int64_t>(g) * n + c] = kNegInf;
  }
}

// scores -> f16 probabilities of head g; false if it sees no cell.
bool softmax_row(float* scores, uint16_t* probs, int32_t n, const AttnRowKernels& rk) {
  const float max = *std::max_element(scores, scores + n);
  if (max == kNegInf) return false;
  rk.exp_sub(scores, n, max);
  double sum = 0.0;
  for (int32_t c = 0; c < n; ++c) sum += static_cast<double>(scores[c]);
  rk.to_f16_scaled(scores, static_cast<float>(1.0 / sum), probs, n);
  return true;
}

void attend_item(const AttnArgs& a, int64_t item, const AttnScratch& s, const AttnRowKernels& rk) {
  const AttnShape& sh = a.shape;
  const Item it{item / sh.n_head_kv, static_cast<int32_t>(item % sh.n_head_kv), sh.n_head / sh.n_head_kv};
  const int32_t dk = sh.head_dim_k, dv = sh.head_dim_v;
  const int32_t n = visible_end(a.kv, a.q_pos[it.t], a.q_seq[it.t]);  // cells past it are masked
  const int32_t head0 = it.kv_head * it.group;
  float* out0 = a.out.row(it.t) + static_cast<int64_t>(head0) * dv;
  std::fill(out0, out0 + static_cast<int64_t>(it.group) * dv, 0.0f);
  for (int32_t g = 0; g < it.group; ++g) {
    rk.to_f16_scaled(a.q.row(it.t) + static_cast<int64_t>(head0 + g) * dk, 1.0f, s.q16_bits, dk);
    for (int32_t d = 0; d < dk; ++d) s.q16[static_cast<int64_t>(g) * dk + d] = f16_to_f32(s.q16_bits[d]);
  }
  if (n == 0) return;
  score_pass(a, it, n, s, rk);
  bool any = false;
  for (int32_t g = 0; g < it.group; ++g) {
    const int64_t off = static_cast<int64_t>(g) * n;
    if (softmax_row(s.scores + off, s.probs + off, n, rk)) {
      any = true;
    } else {
      std::fill(s.probs + off, s.probs + off + n, uint16_t{0});
    }
  }
  if (!any) return;
  rk.values({.v = a.kv.v + static_cast<int64_t>(it.kv_head) * dv,
             .v_stride = a.kv.v_stride,
             .n_cells = n,
             .probs = s.probs,
             .n_q = it.group,
             .dim = dv,
             .out = out0});
}

}  // namespace

int64_t attention_scratch_floats(int32_t n_cells, const AttnShape& shape) {
  const int64_t group = shape.n_head / shape.n_head_kv;
  const int64_t cells = group * n_cells;
  return pad16(cells) + pad16((cells + 1) / 2) + pad16(group * shape.head_dim_k) +
         pad16((shape.head_dim_k + 1) / 2);
}

AttnScratch attention_scratch(float* buf, int32_t n_cells, const AttnShape& shape) {
  const int64_t group = shape.n_head / shape.n_head_kv;
  const int64_t cells = group * n_cells;
  AttnScratch s;
  s.scores = buf;
  buf += pad16(cells);
  s.probs = reinterpret_cast<uint16_t*>(buf);
  buf += pad16((cells + 1) / 2);
  s.q16 = buf;
  buf += pad16(group * shape.head_dim_k);
  s.q16_bits = reinterpret_cast<uint16_t*>(buf);
  return s;
}

void attention(const AttnArgs& args, int64_t item_begin, int64_t item_end,
               AttnScratch scratch) noexcept {
  const AttnRowKernels& rk = attn_row_kernels();
  for (int64_t i = item_begin; i < item_end; ++i) attend_item(args, i, scratch, rk);
}

}  // namespace hako::ops
