// Direct x86 kernels for the float weight formats: f32 x f32, f16 x f16 and
// bf16 x bf16 (activations rounded to the weight's format, as llama.cpp
// does), accumulated in f32 FMA lanes; templated on the token count like the
// quantized kernels. Included by float_avx2.cpp and float_avx512.cpp;
// internal linkage only (see avx_common.h).
#pragma once

#include "base/fp16.h"
#include "kernels/x86/avx_common.h"

namespace hako::x86 {
namespace {

struct LoadF32 {
  using Elem = float;
  static __m256 load8(const Elem* p) { return _mm256_loadu_ps(p); }
  static float one(Elem v) { return v; }
};
struct LoadF16 {
  using Elem = uint16_t;
  static __m256 load8(const Elem* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
  static float one(Elem v) { return _cvtsh_ss(v); }
};
struct LoadBF16 {
  using Elem = uint16_t;
  static __m256 load8(const Elem* p) {
    const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
  }
  static float one(Elem v) { return bf16_to_f32(v); }
};

template <class L>
struct FloatDot {
  using Elem = typename L::Elem;

  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    const int64_t n = t.n_in;
    const Elem* xr[NX];
    for (int j = 0; j < NX; ++j) {
      xr[j] = reinterpret_cast<const Elem*>(static_cast<const uint8_t*>(t.x->data) + (tok0 + j) * t.x->row_bytes);
    }
    for (int64_t r = row0; r < row1; ++r) {
      const auto* w = reinterpret_cast<const Elem*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      __m256 acc[2][NX];
      for (int j = 0; j < NX; ++j) acc[0][j] = acc[1][j] = _mm256_setzero_ps();
      int64_t i = 0;
      for (; i + 16 <= n; i += 16) {
        const __m256 w0 = L::load8(w + i), w1 = L::load8(w + i + 8);
        for (int j = 0; j < NX; ++j) {
          acc[0][j] = _mm256_fmadd_ps(w0, L::load8(xr[j] + i), acc[0][j]);
          acc[1][j] = _mm256_fmadd_ps(w1, L::load8(xr[j] + i + 8), acc[1][j]);
        }
      }
      for (; i + 8 <= n; i += 8) {
        const __m256 w0 = L::load8(w + i);
        for (int j = 0; j < NX; ++j) acc[0][j] = _mm256_fmadd_ps(w0, L::load8(xr[j] + i), acc[0][j]);
      }
      for (int j = 0; j < NX; ++j) {
        float s = hsum(_mm256_add_ps(acc[0][j], acc[1][j]));
        for (int64_t k = i; k < n; ++k) s += L::one(w[k]) * L::one(xr[j][k]);
        t.y[(tok0 + j) * t.y_stride + r] = s;
      }
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { for_token_chunks<FloatDot>(t, row0, row1); }
};

inline void register_float(KernelTable& kt) {
  kt.types[static_cast<uint32_t>(GgmlType::F32)].mul_mat = FloatDot<LoadF32>::mul_mat;
  kt.types[static_cast<uint32_t>(GgmlType::F16)].mul_mat = FloatDot<LoadF16>::mul_mat;
  kt.types[static_cast<uint32_t>(GgmlType::BF16)].mul_mat = FloatDot<LoadBF16>::mul_mat;
}

}  // namespace
}  // namespace hako::x86
