// quantize_acts(): sizing, the buffer layout (kernels/acts_layout.h), the
// split of tokens over threads, the side data and the token-interleaved
// tiles. The per-row conversion itself is the kernel table's QuantizeRowFn
// (SIMD, byte-identical to the quant/ reference) or the reference function.
#include <algorithm>
#include <cstddef>
#include <cstring>

#include "base/error.h"
#include "kernels/acts_layout.h"
#include "kernels/dispatch.h"
#include "quant/blocks.h"
#include "quant/traits.h"

namespace hako {
namespace acts_layout {

Layout layout_for(const ActsShape& shape, int tile_tokens) {
  Layout l;
  l.act_type = quant_traits(shape.weight_type).vec_dot_type;
  l.row_bytes = row_bytes(l.act_type, static_cast<uint64_t>(shape.n_in));
  size_t off = align64(l.row_bytes * static_cast<size_t>(shape.n_tok));
  if (is_q8_act(l.act_type)) {
    l.side_offset = off;
    const size_t n_groups = static_cast<size_t>(shape.n_in / kGroup) * static_cast<size_t>(shape.n_tok);
    off += align64(n_groups * sizeof(float)) + align64(n_groups * sizeof(int32_t));
    off += align64(static_cast<size_t>(shape.n_in / 4) * static_cast<size_t>(shape.n_tok) * sizeof(int32_t));
    if (tile_tokens > 0) {
      l.tile_tokens = tile_tokens;
      l.tiles_offset = off;
      off += align64(tile_bytes(l.act_type, shape.n_in, tile_tokens) * static_cast<size_t>(n_tiles(shape.n_tok, tile_tokens)));
    }
  }
  l.total = off;
  return l;
}

void fill_side(GgmlType act_type, int64_t n, const ActRowOut& out) {
  // Codes of 32-group g: q8_K holds 8 groups a block, q8_0 / q8_1 one.
  const auto* base = static_cast<const uint8_t*>(out.row);
  auto codes = [&](int64_t g) -> const int8_t* {
    if (act_type == GgmlType::Q8_K) return reinterpret_cast<const BlockQ8_K*>(base)[g / 8].qs + 32 * (g % 8);
    if (act_type == GgmlType::Q8_1) return reinterpret_cast<const BlockQ8_1*>(base)[g].qs;
    return reinterpret_cast<const BlockQ8_0*>(base)[g].qs;
  };
  for (int64_t g = 0; g < n / kGroup; ++g) {
    const int8_t* q = codes(g);
    int32_t sum = 0;
    for (int k = 0; k < 8; ++k) {
      const int32_t quad = q[4 * k] + q[4 * k + 1] + q[4 * k + 2] + q[4 * k + 3];
      if (out.quad_nsum) out.quad_nsum[8 * g + k] = -quad;
      sum += quad;
    }
    if (out.group_sum) out.group_sum[g] = sum;
    if (out.group_d) {
      if (act_type == GgmlType::Q8_K) out.group_d[g] = reinterpret_cast<const BlockQ8_K*>(base)[g / 8].d;
      else if (act_type == GgmlType::Q8_1) out.group_d[g] = f16_to_f32(reinterpret_cast<const BlockQ8_1*>(base)[g].d);
      else out.group_d[g] = f16_to_f32(reinterpret_cast<const BlockQ8_0*>(base)[g].d);
    }
  }
}

namespace {

// The 32 codes and (q8_1 only) the stored s of group g of a token's row.
const int8_t* group_codes(GgmlType act_type, const uint8_t* row, int64_t g, float* s) {
  if (act_type == GgmlType::Q8_K) return reinterpret_cast<const BlockQ8_K*>(row)[g / 8].qs + 32 * (g % 8);
  if (act_type == GgmlType::Q8_1) {
    const auto& b = reinterpret_cast<const BlockQ8_1*>(row)[g];
    *s = f16_to_f32(b.s);
    return b.qs;
  }
  return reinterpret_cast<const BlockQ8_0*>(row)[g].qs;
}

}  // namespace

void fill_tile(const QuantizedActs& acts, int w, int64_t tile, uint8_t* dst) {
  using O = TileGroupOffsets;
  const int64_t n_groups = acts.n_in / kGroup;
  const size_t gbytes = tile_group_bytes(acts.type, w);
  const bool q8_1 = acts.type == GgmlType::Q8_1, q8_k = acts.type == GgmlType::Q8_K;
  // A full tile writes every byte below; a partial one pads with zero tokens.
  if ((tile + 1) * w > acts.n_tok) std::memset(dst, 0, gbytes * static_cast<size_t>(n_groups));
  for (int tw = 0; tw < w; ++tw) {
    const int64_t t = tile * w + tw;
    if (t >= acts.n_tok) break;
    const auto* row = static_cast<const uint8_t*>(acts.data) + static_cast<uint64_t>(t) * acts.row_bytes;
    const float* gd = acts.group_d + t * n_groups;
    const int32_t* gs = acts.group_sum + t * n_groups;
    for (int64_t g = 0; g < n_groups; ++g) {
      uint8_t* tg = dst + static_cast<size_t>(g) * gbytes;
      float s = 0.0f;
      const int8_t* q = group_codes(acts.type, row, g, &s);
      for (int k = 0; k < 8; ++k) std::memcpy(tg + (static_cast<size_t>(k) * w + tw) * 4, q + 4 * k, 4);
      const float d = gd[g];
      reinterpret_cast<int32_t*>(tg + O::bias32(w))[tw] = -128 * gs[g];
      reinterpret_cast<float*>(tg + O::d(w))[tw] = d;
      if (q8_1) reinterpret_cast<float*>(tg + O::dsum32(w))[tw] = s;
      if (q8_k) {
        int32_t half0 = 0;
        for (int j = 0; j < 16; ++j) half0 += q[j];
        const int32_t half1 = gs[g] - half0;
        reinterpret_cast<float*>(tg + O::dsum32(w))[tw] = d * static_cast<float>(gs[g]);
        reinterpret_cast<int32_t*>(tg + O::bias16(w))[tw] = -128 * half0;
        reinterpret_cast<int32_t*>(tg + O::bias16(w))[w + tw] = -128 * half1;
        reinterpret_cast<float*>(tg + O::dsum16(w))[tw] = d * static_cast<float>(half0);
        reinterpret_cast<float*>(tg + O::dsum16(w))[w + tw] = d * static_cast<float>(half1);
      }
    }
  }
}

}  // namespace acts_layout

namespace {

using acts_layout::Layout;

// Tiles pay off only where some weight type of this act type has a GEMM
// kernel that the token count reaches.
int wanted_tile_tokens(const ActsShape& shape, const KernelTable& kt) {
  const GgmlType act = quant_traits(shape.weight_type).vec_dot_type;
  if (kt.tile_tokens <= 0 || !acts_layout::is_q8_act(act)) return 0;
  for (uint32_t id = 0; id < kGgmlTypeCount; ++id) {
    const auto t = static_cast<GgmlType>(id);
    const TypeKernels& k = kt.types[id];
    if (k.gemm && has_quant_traits(t) && quant_traits(t).vec_dot_type == act && shape.n_tok >= k.gemm_min_tokens) {
      return kt.tile_tokens;
    }
  }
  return 0;
}

}  // namespace

size_t quantize_acts_bytes(const ActsShape& shape, const KernelTable& kernels) {
  return acts_layout::layout_for(shape, wanted_tile_tokens(shape, kernels)).total;
}

size_t quantize_acts_bytes(const ActsShape& shape) {
  const int w = shape.n_tok > 1 ? acts_layout::kMaxTileTokens : 0;
  return acts_layout::layout_for(shape, w).total;
}

QuantizedActs quantize_acts(const ActsShape& shape, const float* x, void* buf, const Exec& exec) noexcept {
  const KernelTable& kt = exec.kernels;
  const Layout l = acts_layout::layout_for(shape, wanted_tile_tokens(shape, kt));
  auto* base = static_cast<uint8_t*>(buf);
  QuantizedActs a;
  a.type = l.act_type;
  a.n_in = shape.n_in;
  a.n_tok = shape.n_tok;
  a.data = base;
  a.row_bytes = l.row_bytes;
  const int64_t n_groups = shape.n_in / acts_layout::kGroup;
  float* gd = nullptr;
  int32_t* gs = nullptr;
  int32_t* qn = nullptr;
  if (l.side_offset) {
    const size_t arr = acts_layout::align64(sizeof(float) * n_groups * shape.n_tok);
    gd = reinterpret_cast<float*>(base + l.side_offset);
    gs = reinterpret_cast<int32_t*>(base + l.side_offset + arr);
    qn = reinterpret_cast<int32_t*>(base + l.side_offset + 2 * arr);
    a.group_d = gd;
    a.group_sum = gs;
    a.quad_nsum = qn;
  }
  if (l.tiles_offset) {
    a.tiles = base + l.tiles_offset;
    a.tile_tokens = l.tile_tokens;
  }
  QuantizeRowFn fn = kt.quantize[static_cast<uint32_t>(a.type)][static_cast<int>(shape.rounding)];
  if (!fn) fn = kernels_for(Isa::kRef)->quantize[static_cast<uint32_t>(a.type)][static_cast<int>(shape.rounding)];
  HAKO_ASSERT(fn != nullptr);
  const int w = l.tile_tokens;
  const int64_t n_units = w ? acts_layout::n_tiles(shape.n_tok, w) : shape.n_tok;
  const size_t tbytes = acts_layout::tile_bytes(a.type, shape.n_in, w);
  auto work = [&](int ith, int nth) {
    const int64_t u0 = n_units * ith / nth, u1 = n_units * (ith + 1) / nth;
    const int64_t t0 = w ? u0 * w : u0, t1 = w ? std::min(shape.n_tok, u1 * w) : u1;
    for (int64_t t = t0; t < t1; ++t) {
      ActRowOut out{base + static_cast<uint64_t>(t) * l.row_bytes, gd ? gd + t * n_groups : nullptr,
                    gs ? gs + t * n_groups : nullptr, qn ? qn + t * (shape.n_in / 4) : nullptr};
      fn(x + t * shape.n_in, shape.n_in, out);
    }
    if (w) {
      for (int64_t u = u0; u < u1; ++u) {
        acts_layout::fill_tile(a, w, u, base + l.tiles_offset + static_cast<size_t>(u) * tbytes);
      }
    }
  };
  // A single token (decode) is not worth a barrier: quantize it here.
  if (shape.n_tok <= 1) work(0, 1);
  else exec.pool.run(work);
  return a;
}

QuantizedActs quantize_acts(const ActsShape& shape, const float* x, void* buf, ThreadPool& pool) noexcept {
  return quantize_acts(shape, x, buf, Exec{pool, active_kernels()});
}

}  // namespace hako
