// The traits table: one designated-initializer entry per ggml type hako can
// compute with, pointing at the reference functions of src/quant/<family>.cpp,
// plus the lookup and the "unsupported type" error. Adding a format means one
// family file and one entry here. Not here: SIMD kernel selection
// (src/kernels/).
#include "quant/traits.h"

#include <array>
#include <string>

#include "base/error.h"
#include "quant/formats.h"

namespace hako {
namespace {

using T = GgmlType;

constexpr std::array<QuantTraits, kGgmlTypeCount> kTraits = [] {
  std::array<QuantTraits, kGgmlTypeCount> t{};
  auto set = [&](const QuantTraits& q) { t[static_cast<uint32_t>(q.type)] = q; };
  set({.type = T::F32, .to_float = copy_row_f32, .from_float_ref = from_float_f32,
       .vec_dot_ref = vec_dot_f32_ref, .vec_dot_type = T::F32});
  set({.type = T::F16, .to_float = dequantize_row_f16, .from_float_ref = quantize_row_f16_ref,
       .vec_dot_ref = vec_dot_f16_ref, .vec_dot_type = T::F16});
  set({.type = T::BF16, .to_float = dequantize_row_bf16, .from_float_ref = quantize_row_bf16_ref,
       .vec_dot_ref = vec_dot_bf16_ref, .vec_dot_type = T::BF16});
  set({.type = T::Q4_0, .to_float = dequantize_row_q4_0, .from_float_ref = quantize_row_q4_0_ref,
       .vec_dot_ref = vec_dot_q4_0_q8_0_ref, .vec_dot_type = T::Q8_0});
  set({.type = T::Q4_1, .to_float = dequantize_row_q4_1, .from_float_ref = quantize_row_q4_1_ref,
       .vec_dot_ref = vec_dot_q4_1_q8_1_ref, .vec_dot_type = T::Q8_1});
  set({.type = T::Q5_0, .to_float = dequantize_row_q5_0, .from_float_ref = quantize_row_q5_0_ref,
       .vec_dot_ref = vec_dot_q5_0_q8_0_ref, .vec_dot_type = T::Q8_0});
  set({.type = T::Q5_1, .to_float = dequantize_row_q5_1, .from_float_ref = quantize_row_q5_1_ref,
       .vec_dot_ref = vec_dot_q5_1_q8_1_ref, .vec_dot_type = T::Q8_1});
  set({.type = T::Q8_0, .to_float = dequantize_row_q8_0, .from_float_ref = quantize_row_q8_0_ref,
       .vec_dot_ref = vec_dot_q8_0_q8_0_ref, .vec_dot_type = T::Q8_0});
  set({.type = T::Q8_1, .to_float = dequantize_row_q8_1, .from_float_ref = quantize_row_q8_1_ref,
       .vec_dot_ref = nullptr, .vec_dot_type = T::Q8_1});
  set({.type = T::Q2_K, .to_float = dequantize_row_q2_K, .from_float_ref = quantize_row_q2_K_ref,
       .vec_dot_ref = vec_dot_q2_K_q8_K_ref, .vec_dot_type = T::Q8_K});
  set({.type = T::Q3_K, .to_float = dequantize_row_q3_K, .from_float_ref = quantize_row_q3_K_ref,
       .vec_dot_ref = vec_dot_q3_K_q8_K_ref, .vec_dot_type = T::Q8_K});
  set({.type = T::Q4_K, .to_float = dequantize_row_q4_K, .from_float_ref = quantize_row_q4_K_ref,
       .vec_dot_ref = vec_dot_q4_K_q8_K_ref, .vec_dot_type = T::Q8_K});
  set({.type = T::Q5_K, .to_float = dequantize_row_q5_K, .from_float_ref = quantize_row_q5_K_ref,
       .vec_dot_ref = vec_dot_q5_K_q8_K_ref, .vec_dot_type = T::Q8_K});
  set({.type = T::Q6_K, .to_float = dequantize_row_q6_K, .from_float_ref = quantize_row_q6_K_ref,
       .vec_dot_ref = vec_dot_q6_K_q8_K_ref, .vec_dot_type = T::Q8_K});
  set({.type = T::Q8_K, .to_float = dequantize_row_q8_K, .from_float_ref = quantize_row_q8_K_ref,
       .vec_dot_ref = nullptr, .vec_dot_type = T::Q8_K});
  set({.type = T::IQ4_NL, .to_float = dequantize_row_iq4_nl, .from_float_ref = quantize_row_iq4_nl_ref,
       .vec_dot_ref = vec_dot_iq4_nl_q8_0_ref, .vec_dot_type = T::Q8_0});
  set({.type = T::IQ4_XS, .to_float = dequantize_row_iq4_xs, .from_float_ref = quantize_row_iq4_xs_ref,
       .vec_dot_ref = vec_dot_iq4_xs_q8_K_ref, .vec_dot_type = T::Q8_K});
  set({.type = T::MXFP4, .to_float = dequantize_row_mxfp4, .from_float_ref = quantize_row_mxfp4_ref,
       .vec_dot_ref = vec_dot_mxfp4_q8_0_ref, .vec_dot_type = T::Q8_0});
  return t;
}();

std::string supported_list() {
  std::string s;
  for (uint32_t id = 0; id < kGgmlTypeCount; ++id) {
    if (kTraits[id].to_float == nullptr) continue;
    if (!s.empty()) s += ", ";
    s += to_string(static_cast<GgmlType>(id));
  }
  return s;
}

}  // namespace

bool has_quant_traits(GgmlType t) {
  const auto id = static_cast<uint32_t>(t);
  return id < kGgmlTypeCount && kTraits[id].to_float != nullptr;
}

const QuantTraits& quant_traits(GgmlType t) {
  HAKO_ASSERT(has_quant_traits(t));
  return kTraits[static_cast<uint32_t>(t)];
}

void require_supported(GgmlType t, std::string_view tensor_name) {
  if (has_quant_traits(t)) return;
  const auto id = static_cast<uint32_t>(t);
  std::string msg = "tensor '";
  msg.append(tensor_name);
  msg += "' has type ";
  if (type_id_valid(id)) {
    msg.append(to_string(t));
  } else {
    msg += "id ";
    msg += std::to_string(id);
  }
  msg += ", which hako cannot compute with (supported: ";
  msg += supported_list();
  msg += ")";
  throw Error(ErrorKind::kUnsupported, msg);
}

}  // namespace hako
