// The table of what hako can compute with, per ggml type: dequantize,
// reference quantize, reference dot product and the activation format that
// llama.cpp's CPU backend pairs with each weight format. The reference
// functions are the specification (bit-identical to ggml's *_ref quantizers
// and generic vec_dot); the SIMD kernels in src/kernels/ must match them.
// This header does not describe storage (that is tensor/ggml_type.h) nor the
// block layouts (quant/blocks.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "tensor/ggml_type.h"

namespace hako {

// Row functions. `n` is an element count and must be a multiple of the type's
// block size (type_info(t).block_size); pointers are not owned and need only
// the alignment of the block struct. All are thread-safe, never allocate or
// throw, and read/write exactly row_bytes(t, n) bytes of quantized data.
using ToFloatFn = void (*)(const void* src, float* dst, int64_t n);
using FromFloatFn = void (*)(const float* src, void* dst, int64_t n);
// Dot of one row of the weight type (`w`) with one row of its vec_dot_type
// (`x`), both n elements; sums block-wise integer products times the block
// scales in block order, in float, like ggml's generic ggml_vec_dot_<t>_<x>.
using VecDotFn = float (*)(int64_t n, const void* w, const void* x);

struct QuantTraits {
  GgmlType type;
  ToFloatFn to_float;          // dequantize n elements
  FromFloatFn from_float_ref;  // reference quantize == ggml quantize_row_<t>_ref
  VecDotFn vec_dot_ref;        // nullptr for pure activation formats (q8_1, q8_K)
  GgmlType vec_dot_type;       // activation format of the dot (ggml-cpu.c type_traits_cpu)
};

// False for types hako cannot compute with (iq2_xxs, tq1_0, ...).
bool has_quant_traits(GgmlType t);
// The traits of a supported type; HAKO_ASSERTs has_quant_traits(t).
const QuantTraits& quant_traits(GgmlType t);
// Throws Error(kUnsupported): "tensor 'NAME' has type iq2_xxs, which hako cannot
// compute with (supported: f32, f16, ...)" unless has_quant_traits(t).
void require_supported(GgmlType t, std::string_view tensor_name);

}  // namespace hako
