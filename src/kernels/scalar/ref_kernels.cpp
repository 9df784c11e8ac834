// The scalar level: every matmul is a loop of the traits' vec_dot_ref and
// every activation row goes through the traits' from_float_ref (or the
// llama.cpp-x86 variant from quant/formats.h). Nothing is re-implemented
// here: this level IS the quant/ reference, so HAKO_KERNELS=ref gives the
// specification's numbers. Slow; for testing and bisecting. Its x8 kernels
// exist so that every level can run x8 weights; the loader does not
// interleave for this level (kernels/dispatch.h TypeKernels).
#include "kernels/acts_layout.h"
#include "kernels/registry.h"
#include "quant/formats.h"
#include "quant/interleave.h"
#include "quant/traits.h"

namespace hako {
namespace {

void mul_mat_ref(const MatmulTask& t, int64_t row0, int64_t row1) {
  const VecDotFn dot = quant_traits(t.type).vec_dot_ref;
  const QuantizedActs& x = *t.x;
  for (int64_t r = row0; r < row1; ++r) {
    const uint8_t* wr = t.w + static_cast<uint64_t>(r) * t.w_row_bytes;
    for (int64_t tok = 0; tok < x.n_tok; ++tok) {
      const auto* xr = static_cast<const uint8_t*>(x.data) + static_cast<uint64_t>(tok) * x.row_bytes;
      t.y[tok * t.y_stride + r] = dot(t.n_in, wr, xr);
    }
  }
}

// The x8 layout: each block is copied out of its interleaved column and
// dotted by the reference, the per-block results summed in block order, which
// is exactly what vec_dot_ref does over a plain row.
void mul_mat_x8_ref(const MatmulTask& t, int64_t row0, int64_t row1) {
  const QuantTraits& qt = quant_traits(t.type);
  const uint64_t xbb = type_info(qt.vec_dot_type).type_size;
  const int64_t nb = t.n_in / 32;
  const QuantizedActs& x = *t.x;
  alignas(8) uint8_t blk[64];
  for (int64_t r = row0; r < row1; ++r) {
    const X8Slice s0{.group = t.w + static_cast<uint64_t>(r / kX8Rows * kX8Rows) * t.w_row_bytes,
                     .n_in = t.n_in, .r = static_cast<int>(r % kX8Rows), .b0 = 0, .nb = 1};
    for (int64_t tok = 0; tok < x.n_tok; ++tok) {
      const auto* xr = static_cast<const uint8_t*>(x.data) + static_cast<uint64_t>(tok) * x.row_bytes;
      float sum = 0.0f;
      for (int64_t b = 0; b < nb; ++b) {
        X8Slice s = s0;
        s.b0 = b;
        deinterleave_x8(t.type, s, blk);
        sum += qt.vec_dot_ref(32, blk, xr + static_cast<uint64_t>(b) * xbb);
      }
      t.y[tok * t.y_stride + r] = sum;
    }
  }
}

template <FromFloatFn kFn, GgmlType kAct>
void quantize_row(const float* x, int64_t n, const ActRowOut& out) {
  kFn(x, out.row, n);
  if (out.group_d) acts_layout::fill_side(kAct, n, out);
}

}  // namespace

void register_ref(KernelTable& t) {
  for (uint32_t id = 0; id < kGgmlTypeCount; ++id) {
    const auto type = static_cast<GgmlType>(id);
    if (has_quant_traits(type) && quant_traits(type).vec_dot_ref) t.types[id].mul_mat = mul_mat_ref;
    if (has_x8_layout(type)) t.types[id].mul_mat_x8 = mul_mat_x8_ref;
  }
  auto set = [&](GgmlType act, QuantizeRowFn ref, QuantizeRowFn x86) {
    t.quantize[static_cast<uint32_t>(act)] = {ref, x86};
  };
  using G = GgmlType;
  set(G::Q8_0, quantize_row<quantize_row_q8_0_ref, G::Q8_0>, quantize_row<quantize_row_q8_0_x86, G::Q8_0>);
  set(G::Q8_1, quantize_row<quantize_row_q8_1_ref, G::Q8_1>, quantize_row<quantize_row_q8_1_x86, G::Q8_1>);
  set(G::Q8_K, quantize_row<quantize_row_q8_K_ref, G::Q8_K>, quantize_row<quantize_row_q8_K_ref, G::Q8_K>);
  set(G::F16, quantize_row<quantize_row_f16_ref, G::F16>, quantize_row<quantize_row_f16_ref, G::F16>);
  set(G::BF16, quantize_row<quantize_row_bf16_ref, G::BF16>, quantize_row<quantize_row_bf16_ref, G::BF16>);
  set(G::F32, quantize_row<from_float_f32, G::F32>, quantize_row<from_float_f32, G::F32>);
}

}  // namespace hako
