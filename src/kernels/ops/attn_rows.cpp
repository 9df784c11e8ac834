// Scalar reference of the attention row primitives and the dispatcher (see
// attn_rows.h). Built with -ffp-contract=off so the compiler fuses nothing.
#include "kernels/ops/attn_rows.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

#include "base/cpu_features.h"
#include "base/fp16.h"
#include "kernels/ops/f16_inline.h"

namespace hako::ops {

float exp_ggml(float x) {
  const float r = 0x1.8p23f;
  const float z = std::fma(x, 0x1.715476p+0f, r);
  const float n = z - r;  // round(x * log2(e))
  if (!(std::fabs(n) <= 126.0f)) return n <= 0.0f ? 0.0f : std::numeric_limits<float>::infinity();
  const float b = std::fma(-n, 0x1.7f7d1cp-20f, std::fma(-n, 0x1.62e4p-1f, x));
  const float u = b * b;
  const float j = std::fma(std::fma(std::fma(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u,
                                    std::fma(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                           u, std::fma(0x1.ffffecp-1f, b, 1.0f));
  const uint32_t bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, 4);
  return j * scale;  // j * 2^n, exact scaling for |n| <= 126
}

namespace {

float dot_f16_ref(const uint16_t* k, const float* q, int32_t n) {
  float acc[8] = {};
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int l = 0; l < 8; ++l) acc[l] = acc[l] + f16_bits_to_f32(k[i + l]) * q[i + l];
  }
  float tail = 0.0f;
  for (; i < n; ++i) tail = tail + f16_bits_to_f32(k[i]) * q[i];
  const float t0 = acc[0] + acc[4], t1 = acc[1] + acc[5], t2 = acc[2] + acc[6], t3 = acc[3] + acc[7];
  return ((t0 + t2) + (t1 + t3)) + tail;
}

void axpy_f16_ref(float a, const uint16_t* v, float* y, int32_t n) {
  for (int32_t i = 0; i < n; ++i) y[i] = y[i] + a * f16_bits_to_f32(v[i]);
}

double exp_sub_ref(float* x, int32_t n, float max) {
  double acc[8] = {};
  int32_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int l = 0; l < 8; ++l) {
      x[i + l] = exp_ggml(x[i + l] - max);
      acc[l] += x[i + l];
    }
  }
  double tail = 0.0;
  for (; i < n; ++i) {
    x[i] = exp_ggml(x[i] - max);
    tail += x[i];
  }
  const double t0 = acc[0] + acc[4], t1 = acc[1] + acc[5], t2 = acc[2] + acc[6], t3 = acc[3] + acc[7];
  return ((t0 + t2) + (t1 + t3)) + tail;
}

float max_ref(const float* x, int32_t n) {
  float m = -std::numeric_limits<float>::infinity();
  for (int32_t i = 0; i < n; ++i) m = x[i] > m ? x[i] : m;
  return m;
}

void to_f16_scaled_ref(const float* x, float s, uint16_t* y, int32_t n) {
  for (int32_t i = 0; i < n; ++i) y[i] = f32_to_f16(x[i] * s);
}

void scores_ref(const ScoreRange& r) {
  for (int32_t c = 0; c < r.n_cells; ++c) {
    const uint16_t* krow = r.k + c * r.k_stride;
    for (int32_t g = 0; g < r.n_q; ++g) {
      r.scores[g * scores_ld(r) + c] =
          dot_f16_ref(krow, r.q + static_cast<int64_t>(g) * r.dim, r.dim) * r.scale;
    }
  }
}

void values_ref(const ValueRange& r) {
  for (int32_t c = 0; c < r.n_cells; ++c) {
    const uint16_t* vrow = r.v + c * r.v_stride;
    for (int32_t g = 0; g < r.n_q; ++g) {
      const uint16_t p = r.probs[g * probs_ld(r) + c];
      if (p != 0) axpy_f16_ref(f16_bits_to_f32(p), vrow, r.out + static_cast<int64_t>(g) * r.dim, r.dim);
    }
  }
}

constexpr AttnRowKernels kRef{"ref",        scores_ref,  values_ref, dot_f16_ref,      axpy_f16_ref,
                              exp_sub_ref, max_ref,     to_f16_scaled_ref, scores_ref, values_ref};

// HAKO_KERNELS (as the matmul dispatcher reads it): "ref" and "avx2" cap
// the level; anything else leaves the best one.
std::string_view forced_level() {
  const char* env = std::getenv("HAKO_KERNELS");
  return env != nullptr ? std::string_view(env) : std::string_view();
}

}  // namespace

const AttnRowKernels& attn_row_kernels_ref() { return kRef; }

const AttnRowKernels& attn_row_kernels() {
  static const AttnRowKernels* const chosen = [] {
    const std::string_view want = forced_level();
    if (want == "ref") return &kRef;
    const AttnRowKernels* avx512 = attn_row_kernels_avx512();
    if (avx512 != nullptr && want != "avx2") return avx512;
    const AttnRowKernels* avx2 = attn_row_kernels_avx2();
    return avx2 != nullptr ? avx2 : &kRef;
  }();
  return *chosen;
}

#if !defined(HAKO_OPS_HAVE_AVX2)
const AttnRowKernels* attn_row_kernels_avx2() { return nullptr; }
#endif
#if !defined(HAKO_OPS_HAVE_AVX512)
const AttnRowKernels* attn_row_kernels_avx512() { return nullptr; }
#endif

}  // namespace hako::ops
