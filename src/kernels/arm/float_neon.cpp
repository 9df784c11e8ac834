// NEON direct kernels for the float weight formats (f32 x f32, f16 x f16,
// bf16 x bf16; activations rounded to the weight format as llama.cpp does),
// f32 FMA accumulation in four 4-lane accumulators (16 partial sums, as
// ggml lays out its NEON f32 dot: with only 8 the F32 conformance median
// against llama.cpp grew 8x), templated on the token count like the quantized
// kernels.
#include "base/fp16.h"
#include "kernels/arm/neon_common.h"
#include "kernels/registry.h"

namespace hako {
namespace {

struct LoadF32 {
  using Elem = float;
  static float32x4_t load4(const Elem* p) { return vld1q_f32(p); }
  static float one(Elem v) { return v; }
};
struct LoadF16 {
  using Elem = uint16_t;
  static float32x4_t load4(const Elem* p) { return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p))); }
  static float one(Elem v) { return f16_to_f32(v); }
};
struct LoadBF16 {
  using Elem = uint16_t;
  static float32x4_t load4(const Elem* p) { return vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(p), 16)); }
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
      float32x4_t acc[4][NX];
      for (int j = 0; j < NX; ++j) acc[0][j] = acc[1][j] = acc[2][j] = acc[3][j] = vdupq_n_f32(0.0f);
      int64_t i = 0;
      for (; i + 16 <= n; i += 16) {
        for (int q = 0; q < 4; ++q) {
          const float32x4_t wq = L::load4(w + i + 4 * q);
          for (int j = 0; j < NX; ++j) acc[q][j] = vfmaq_f32(acc[q][j], wq, L::load4(xr[j] + i + 4 * q));
        }
      }
      for (; i + 4 <= n; i += 4) {
        const float32x4_t w0 = L::load4(w + i);
        for (int j = 0; j < NX; ++j) acc[0][j] = vfmaq_f32(acc[0][j], w0, L::load4(xr[j] + i));
      }
      for (int j = 0; j < NX; ++j) {
        float s = vaddvq_f32(vaddq_f32(vaddq_f32(acc[0][j], acc[1][j]), vaddq_f32(acc[2][j], acc[3][j])));
        for (int64_t k = i; k < n; ++k) s += L::one(w[k]) * L::one(xr[j][k]);
        t.y[(tok0 + j) * t.y_stride + r] = s;
      }
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { arm::for_token_chunks<FloatDot>(t, row0, row1); }
};

}  // namespace

void register_float_neon(KernelTable& kt) {
  kt.types[static_cast<uint32_t>(GgmlType::F32)].mul_mat = FloatDot<LoadF32>::mul_mat;
  kt.types[static_cast<uint32_t>(GgmlType::F16)].mul_mat = FloatDot<LoadF16>::mul_mat;
  kt.types[static_cast<uint32_t>(GgmlType::BF16)].mul_mat = FloatDot<LoadBF16>::mul_mat;
}

}  // namespace hako
