// The scalar level: every matmul is a loop of the traits' vec_dot_ref and
// every activation row goes through the traits' from_float_ref (or the
// llama.cpp-x86 variant from quant/formats.h). Nothing is re-implemented
// here: this level IS the quant/ reference, so HAKO_KERNELS=ref gives the
// specification's numbers. Slow; for testing and bisecting.
#include "kernels/acts_layout.h"
#include "kernels/registry.h"
#include "quant/formats.h"
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
