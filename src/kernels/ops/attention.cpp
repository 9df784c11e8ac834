// Attention over an f16 KV cache (see attention.h). The per-item work is
// split in three passes over the visible cells: scores (K.Q), softmax
// (normalized before rounding to f16, as llama.cpp does), and V.P.
#include "kernels/ops/attention.h"

#include <cmath>
#include <limits>

#include "base/fp16.h"
#include "kernels/ops/f16_inline.h"

namespace hako::ops {
namespace {

constexpr int kLanes = 8;

// Dot of an f16 row with a float row (the f16-rounded query): products are
// exact in float; lanes summed at the end.
float dot_f16_f32(const uint16_t* k, const float* q, int32_t n) {
  float acc[kLanes] = {};
  int32_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) acc[l] += f16_bits_to_f32(k[i + l]) * q[i + l];
  }
  float sum = 0.0f;
  for (; i < n; ++i) sum += f16_bits_to_f32(k[i]) * q[i];
  for (int l = 0; l < kLanes; ++l) sum += acc[l];
  return sum;
}

bool visible(const KvView& kv, int32_t c, int32_t pos, int32_t seq) {
  return kv.cell_pos[c] >= 0 && kv.cell_pos[c] <= pos && kv.cell_seq[c] == seq;
}

// Scores of one query head; returns the max (or -inf if nothing is visible).
float scores_for(const AttnArgs& a, const float* q16, int32_t kv_head, int64_t t,
                 float* scores) {
  const KvView& kv = a.kv;
  const int32_t pos = a.q_pos[t];
  const int32_t seq = a.q_seq[t];
  const int32_t dk = a.shape.head_dim_k;
  float max = -std::numeric_limits<float>::infinity();
  for (int32_t c = 0; c < kv.n_cells; ++c) {
    if (!visible(kv, c, pos, seq)) {
      scores[c] = -std::numeric_limits<float>::infinity();
      continue;
    }
    const uint16_t* krow = kv.k + c * kv.k_stride + static_cast<int64_t>(kv_head) * dk;
    const float s = dot_f16_f32(krow, q16, dk) * a.shape.kq_scale;
    scores[c] = s;
    if (s > max) max = s;
  }
  return max;
}

void attend_one(const AttnArgs& a, int64_t item, AttnScratch s) {
  const AttnShape& sh = a.shape;
  const int64_t t = item / sh.n_head;
  const int32_t h = static_cast<int32_t>(item % sh.n_head);
  const int32_t kv_head = h / (sh.n_head / sh.n_head_kv);
  const KvView& kv = a.kv;

  const float* q = a.q.row(t) + static_cast<int64_t>(h) * sh.head_dim_k;
  for (int32_t d = 0; d < sh.head_dim_k; ++d) s.q16[d] = f16_to_f32(f32_to_f16(q[d]));

  float* out = a.out.row(t) + static_cast<int64_t>(h) * sh.head_dim_v;
  for (int32_t d = 0; d < sh.head_dim_v; ++d) out[d] = 0.0f;

  const float max = scores_for(a, s.q16, kv_head, t, s.scores);
  if (max == -std::numeric_limits<float>::infinity()) return;

  double sum = 0.0;
  for (int32_t c = 0; c < kv.n_cells; ++c) {
    const float e = std::exp(s.scores[c] - max);  // exp(-inf) = 0 for masked cells
    s.scores[c] = e;
    sum += static_cast<double>(e);
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int32_t c = 0; c < kv.n_cells; ++c) s.probs[c] = f32_to_f16(s.scores[c] * inv);

  const int32_t dv = sh.head_dim_v;
  for (int32_t c = 0; c < kv.n_cells; ++c) {
    if (s.probs[c] == 0) continue;  // masked or underflowed: adds exactly zero
    const float p = f16_bits_to_f32(s.probs[c]);
    const uint16_t* vrow = kv.v + c * kv.v_stride + static_cast<int64_t>(kv_head) * dv;
    for (int32_t d = 0; d < dv; ++d) out[d] += f16_bits_to_f32(vrow[d]) * p;
  }
}

int64_t pad16(int64_t n) { return (n + 15) / 16 * 16; }

}  // namespace

int64_t attention_scratch_floats(int32_t n_cells, int32_t head_dim_k) {
  // scores (floats) + probs (halves, counted as floats/2) + q16 (floats)
  return pad16(n_cells) + pad16((static_cast<int64_t>(n_cells) + 1) / 2) + pad16(head_dim_k);
}

AttnScratch attention_scratch(float* buf, int32_t n_cells, int32_t head_dim_k) {
  AttnScratch s;
  s.scores = buf;
  s.probs = reinterpret_cast<uint16_t*>(buf + pad16(n_cells));
  s.q16 = buf + pad16(n_cells) + pad16((static_cast<int64_t>(n_cells) + 1) / 2);
  return s;
}

void attention(const AttnArgs& args, int64_t item_begin, int64_t item_end,
               AttnScratch scratch) noexcept {
  for (int64_t i = item_begin; i < item_end; ++i) attend_one(args, i, scratch);
}

}  // namespace hako::ops
