// ARM64 dotprod (SDOT) direct kernels for the 32-element block formats paired
// with q8_0 / q8_1 activations: q4_0, q4_1, q5_0, q5_1, q8_0, iq4_nl, mxfp4.
// Same shape as x86/legacy_kernels.h: a Dequantizer per format yields 32
// signed codes (offsets applied, so int32 lanes hold true partial sums) and
// a scale; one loop templated on the token count (1..8) accumulates
// scale_w * scale_x * dot in f32 lanes. Not here: GEMM tiles.
#include "kernels/arm/neon_common.h"
#include "kernels/registry.h"
#include "quant/blocks.h"

namespace hako {
namespace {

using arm::I8x32;

struct DeqQ4_0 {
  using Block = BlockQ4_0;
  static constexpr bool kMin = false;
  static I8x32 codes(const Block& b) { return arm::sub_i8(arm::unpack_nibbles(b.qs), 8); }
  static float scale(const Block& b) { return arm::f16_scalar(b.d); }
};
struct DeqQ4_1 {
  using Block = BlockQ4_1;
  static constexpr bool kMin = true;
  static I8x32 codes(const Block& b) { return arm::unpack_nibbles(b.qs); }
  static float scale(const Block& b) { return arm::f16_scalar(b.d); }
  static float min(const Block& b) { return arm::f16_scalar(b.m); }
};
struct DeqQ5_0 {
  using Block = BlockQ5_0;
  static constexpr bool kMin = false;
  static I8x32 codes(const Block& b) {
    return arm::sub_i8(arm::or_i8(arm::unpack_nibbles(b.qs), arm::high_bits_x16(b.qh)), 16);
  }
  static float scale(const Block& b) { return arm::f16_scalar(b.d); }
};
struct DeqQ5_1 {
  using Block = BlockQ5_1;
  static constexpr bool kMin = true;
  static I8x32 codes(const Block& b) { return arm::or_i8(arm::unpack_nibbles(b.qs), arm::high_bits_x16(b.qh)); }
  static float scale(const Block& b) { return arm::f16_scalar(b.d); }
  static float min(const Block& b) { return arm::f16_scalar(b.m); }
};
struct DeqQ8_0 {
  using Block = BlockQ8_0;
  static constexpr bool kMin = false;
  static I8x32 codes(const Block& b) { return arm::load_i8x32(b.qs); }
  static float scale(const Block& b) { return arm::f16_scalar(b.d); }
};
struct DeqIQ4_NL {
  using Block = BlockIQ4_NL;
  static constexpr bool kMin = false;
  static I8x32 codes(const Block& b) { return arm::lookup16(kIq4nlValues, arm::unpack_nibbles(b.qs)); }
  static float scale(const Block& b) { return arm::f16_scalar(b.d); }
};
struct DeqMXFP4 {
  using Block = BlockMXFP4;
  static constexpr bool kMin = false;
  static I8x32 codes(const Block& b) { return arm::lookup16(kMxfp4Values, arm::unpack_nibbles(b.qs)); }
  static float scale(const Block& b) {  // 2^(e-128), as quant/mxfp4.cpp
    const uint32_t bits = b.e < 2 ? (0x00200000u << b.e) : (static_cast<uint32_t>(b.e - 1) << 23);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
};

template <class Deq>
struct Legacy32 {
  static constexpr size_t kActBlock = Deq::kMin ? sizeof(BlockQ8_1) : sizeof(BlockQ8_0);
  static constexpr size_t kActQs = Deq::kMin ? offsetof(BlockQ8_1, qs) : offsetof(BlockQ8_0, qs);

  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    using Block = typename Deq::Block;
    const int64_t nb = t.n_in / 32;
    arm::ActRow xr[NX];
    for (int j = 0; j < NX; ++j) xr[j] = arm::act_row(*t.x, tok0 + j);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const Block*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      float32x4_t acc[NX];
      float acc_min[NX] = {};
      for (int j = 0; j < NX; ++j) acc[j] = vdupq_n_f32(0.0f);
      for (int64_t b = 0; b < nb; ++b) {
        const I8x32 q = Deq::codes(wb[b]);
        const float dw = Deq::scale(wb[b]);
        for (int j = 0; j < NX; ++j) {
          const I8x32 xq = arm::load_i8x32(xr[j].blocks + b * kActBlock + kActQs);
          const int32x4_t p = arm::dot32(vdupq_n_s32(0), q, xq);
          acc[j] = vfmaq_n_f32(acc[j], vcvtq_f32_s32(p), dw * xr[j].d[b]);
          if constexpr (Deq::kMin) {
            const auto& xb = *reinterpret_cast<const BlockQ8_1*>(xr[j].blocks + b * kActBlock);
            acc_min[j] += Deq::min(wb[b]) * arm::f16_scalar(xb.s);
          }
        }
      }
      for (int j = 0; j < NX; ++j) t.y[(tok0 + j) * t.y_stride + r] = vaddvq_f32(acc[j]) + acc_min[j];
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { arm::for_token_chunks<Legacy32>(t, row0, row1); }
};

}  // namespace

void register_legacy_dotprod(KernelTable& kt) {
  auto set = [&](GgmlType type, MulMatFn fn) { kt.types[static_cast<uint32_t>(type)].mul_mat = fn; };
  set(GgmlType::Q4_0, Legacy32<DeqQ4_0>::mul_mat);
  set(GgmlType::Q4_1, Legacy32<DeqQ4_1>::mul_mat);
  set(GgmlType::Q5_0, Legacy32<DeqQ5_0>::mul_mat);
  set(GgmlType::Q5_1, Legacy32<DeqQ5_1>::mul_mat);
  set(GgmlType::Q8_0, Legacy32<DeqQ8_0>::mul_mat);
  set(GgmlType::IQ4_NL, Legacy32<DeqIQ4_NL>::mul_mat);
  set(GgmlType::MXFP4, Legacy32<DeqMXFP4>::mul_mat);
}

}  // namespace hako
