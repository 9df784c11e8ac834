// Declarations of every per-format reference row function in src/quant/
// (one definition file per format family). Most callers go through the
// traits table (quant/traits.h); this header exists so the table, the tests
// and the scalar kernels can name one format's function directly. It holds no
// logic. Row contract for all of them: `n` elements, a multiple of the
// format's block size; quantized pointers address whole blocks (blocks.h);
// no allocation, no throwing, thread-safe.
#pragma once

#include <cstdint>

namespace hako {

// ---- plain float types (f16_bf16.cpp) -----------------------------------------
void copy_row_f32(const void* src, float* dst, int64_t n);
void from_float_f32(const float* src, void* dst, int64_t n);
void dequantize_row_f16(const void* src, float* dst, int64_t n);
void quantize_row_f16_ref(const float* src, void* dst, int64_t n);
void dequantize_row_bf16(const void* src, float* dst, int64_t n);
void quantize_row_bf16_ref(const float* src, void* dst, int64_t n);
// Products summed in double, rounded to float at the end (ggml's scalar
// ggml_vec_dot_f32 / _f16 / _bf16 with ggml_float accumulation).
float vec_dot_f32_ref(int64_t n, const void* w, const void* x);
float vec_dot_f16_ref(int64_t n, const void* w, const void* x);
float vec_dot_bf16_ref(int64_t n, const void* w, const void* x);

// ---- q4_0, q4_1 (q4.cpp) ---------------------------------------------------------
void dequantize_row_q4_0(const void* src, float* dst, int64_t n);
void quantize_row_q4_0_ref(const float* src, void* dst, int64_t n);
float vec_dot_q4_0_q8_0_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q4_1(const void* src, float* dst, int64_t n);
void quantize_row_q4_1_ref(const float* src, void* dst, int64_t n);
float vec_dot_q4_1_q8_1_ref(int64_t n, const void* w, const void* x);

// ---- q5_0, q5_1 (q5.cpp) ---------------------------------------------------------
void dequantize_row_q5_0(const void* src, float* dst, int64_t n);
void quantize_row_q5_0_ref(const float* src, void* dst, int64_t n);
float vec_dot_q5_0_q8_0_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q5_1(const void* src, float* dst, int64_t n);
void quantize_row_q5_1_ref(const float* src, void* dst, int64_t n);
float vec_dot_q5_1_q8_1_ref(int64_t n, const void* w, const void* x);

// ---- q8_0, q8_1 (q8.cpp) ---------------------------------------------------------
void dequantize_row_q8_0(const void* src, float* dst, int64_t n);
void quantize_row_q8_0_ref(const float* src, void* dst, int64_t n);
float vec_dot_q8_0_q8_0_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q8_1(const void* src, float* dst, int64_t n);
void quantize_row_q8_1_ref(const float* src, void* dst, int64_t n);
// What llama.cpp's x86 AVX build produces for activations (id = 127/amax,
// round-half-to-even) instead of the *_ref rounding; see q8.cpp.
void quantize_row_q8_0_x86(const float* src, void* dst, int64_t n);
void quantize_row_q8_1_x86(const float* src, void* dst, int64_t n);

// ---- K-quants (q2_k_q3_k.cpp, q4_k_q5_k.cpp, q6_k_q8_k.cpp) -------------------
void dequantize_row_q2_K(const void* src, float* dst, int64_t n);
void quantize_row_q2_K_ref(const float* src, void* dst, int64_t n);
float vec_dot_q2_K_q8_K_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q3_K(const void* src, float* dst, int64_t n);
void quantize_row_q3_K_ref(const float* src, void* dst, int64_t n);
float vec_dot_q3_K_q8_K_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q4_K(const void* src, float* dst, int64_t n);
void quantize_row_q4_K_ref(const float* src, void* dst, int64_t n);
float vec_dot_q4_K_q8_K_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q5_K(const void* src, float* dst, int64_t n);
void quantize_row_q5_K_ref(const float* src, void* dst, int64_t n);
float vec_dot_q5_K_q8_K_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q6_K(const void* src, float* dst, int64_t n);
void quantize_row_q6_K_ref(const float* src, void* dst, int64_t n);
float vec_dot_q6_K_q8_K_ref(int64_t n, const void* w, const void* x);
void dequantize_row_q8_K(const void* src, float* dst, int64_t n);
void quantize_row_q8_K_ref(const float* src, void* dst, int64_t n);

// ---- iq4_nl, iq4_xs (iq4.cpp) ------------------------------------------------------
void dequantize_row_iq4_nl(const void* src, float* dst, int64_t n);
void quantize_row_iq4_nl_ref(const float* src, void* dst, int64_t n);
float vec_dot_iq4_nl_q8_0_ref(int64_t n, const void* w, const void* x);
// What llama-quantize writes for iq4_nl without an imatrix (ggml's
// quantize_iq4_nl: 15 candidate scales and a final re-pick), which differs
// from ggml's quantize_row_iq4_nl_ref (one candidate); see iq4.cpp.
void quantize_row_iq4_nl_llama_quantize(const float* src, void* dst, int64_t n);
void dequantize_row_iq4_xs(const void* src, float* dst, int64_t n);
void quantize_row_iq4_xs_ref(const float* src, void* dst, int64_t n);
float vec_dot_iq4_xs_q8_K_ref(int64_t n, const void* w, const void* x);

// ---- mxfp4 (mxfp4.cpp) -------------------------------------------------------------
void dequantize_row_mxfp4(const void* src, float* dst, int64_t n);
void quantize_row_mxfp4_ref(const float* src, void* dst, int64_t n);
float vec_dot_mxfp4_q8_0_ref(int64_t n, const void* w, const void* x);

}  // namespace hako
