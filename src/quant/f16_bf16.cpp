// Reference row functions for the plain float types f32, f16 and bf16:
// conversion to/from float (round to nearest even, via base/fp16.h) and the
// scalar dot products. Not here: the SIMD versions (src/kernels/).
#include <cstring>

#include "base/fp16.h"
#include "quant/formats.h"

namespace hako {

void copy_row_f32(const void* src, float* dst, int64_t n) {
  std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
}

void from_float_f32(const float* src, void* dst, int64_t n) {
  std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
}

void dequantize_row_f16(const void* src, float* dst, int64_t n) {
  const auto* h = static_cast<const f16_t*>(src);
  for (int64_t i = 0; i < n; ++i) dst[i] = f16_to_f32(h[i]);
}

void quantize_row_f16_ref(const float* src, void* dst, int64_t n) {
  auto* h = static_cast<f16_t*>(dst);
  for (int64_t i = 0; i < n; ++i) h[i] = f32_to_f16(src[i]);
}

void dequantize_row_bf16(const void* src, float* dst, int64_t n) {
  const auto* h = static_cast<const bf16_t*>(src);
  for (int64_t i = 0; i < n; ++i) dst[i] = bf16_to_f32(h[i]);
}

void quantize_row_bf16_ref(const float* src, void* dst, int64_t n) {
  auto* h = static_cast<bf16_t*>(dst);
  for (int64_t i = 0; i < n; ++i) h[i] = f32_to_bf16(src[i]);
}

// Each product is rounded to float, then accumulated in double, as ggml does.
float vec_dot_f32_ref(int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const float*>(w);
  const auto* b = static_cast<const float*>(x);
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(a[i] * b[i]);
  return static_cast<float>(sum);
}

float vec_dot_f16_ref(int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const f16_t*>(w);
  const auto* b = static_cast<const f16_t*>(x);
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(f16_to_f32(a[i]) * f16_to_f32(b[i]));
  return static_cast<float>(sum);
}

float vec_dot_bf16_ref(int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const bf16_t*>(w);
  const auto* b = static_cast<const bf16_t*>(x);
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(bf16_to_f32(a[i]) * bf16_to_f32(b[i]));
  return static_cast<float>(sum);
}

}  // namespace hako
