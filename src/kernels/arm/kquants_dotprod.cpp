// ARM64 dotprod (SDOT) direct kernels for the K-quant formats paired with
// q8_K activations: q2_K, q3_K, q4_K, q5_K, q6_K, iq4_xs. Same shape as
// x86/kquant_kernels.h: a Dequantizer decodes a super-block's scales once and
// yields 32 codes per chunk (offsets applied) plus the integer scales of its
// two 16-element halves; one loop templated on the token count (1..8)
// accumulates sc * dot in int32 lanes and converts once per super-block.
#include "kernels/arm/neon_common.h"
#include "kernels/registry.h"
#include "quant/blocks.h"

namespace hako {
namespace {

using arm::I8x32;

struct U8x32 {
  uint8x16_t lo, hi;
};
inline U8x32 load_u8x32(const uint8_t* p) { return {vld1q_u8(p), vld1q_u8(p + 16)}; }
// (v >> shift) & mask, per byte.
inline I8x32 bits(U8x32 v, int shift, uint8_t mask) {
  const int8x16_t s = vdupq_n_s8(static_cast<int8_t>(-shift));
  const uint8x16_t m = vdupq_n_u8(mask);
  return {vreinterpretq_s8_u8(vandq_u8(vshlq_u8(v.lo, s), m)), vreinterpretq_s8_u8(vandq_u8(vshlq_u8(v.hi, s), m))};
}
inline I8x32 shl(I8x32 v, int n) {
  const int8x16_t s = vdupq_n_s8(static_cast<int8_t>(n));
  return {vshlq_s8(v.lo, s), vshlq_s8(v.hi, s)};
}

// q4_K / q5_K 12-byte scale packing -> 8 scales then 8 mins (ggml's reshuffle).
inline void unpack_scales_k4(const uint8_t* packed, uint8_t out[16]) {
  uint32_t u[4];
  std::memcpy(u, packed, 12);
  constexpr uint32_t kM1 = 0x3f3f3f3f, kM2 = 0x0f0f0f0f, kM3 = 0x03030303;
  u[3] = ((u[2] >> 4) & kM2) | (((u[1] >> 6) & kM3) << 4);
  const uint32_t mins_lo = u[1] & kM1;
  u[1] = (u[2] & kM2) | (((u[0] >> 6) & kM3) << 4);
  u[2] = mins_lo;
  u[0] &= kM1;
  std::memcpy(out, u, 16);
}

struct DeqQ4_K {
  static constexpr bool kMin = true;
  explicit DeqQ4_K(const BlockQ4_K& b) : qs(b.qs), d(arm::f16_scalar(b.d)), dmin(arm::f16_scalar(b.dmin)) {
    unpack_scales_k4(b.scales, sm);
  }
  I8x32 codes(int c) const { return bits(load_u8x32(qs + 32 * (c / 2)), 4 * (c & 1), 0x0F); }
  int scale(int c, int) const { return sm[c]; }
  int32_t min_dot(const int16_t* bsums) const {
    int32_t s = 0;
    for (int j = 0; j < 8; ++j) s += sm[8 + j] * (bsums[2 * j] + bsums[2 * j + 1]);
    return s;
  }
  const uint8_t* qs;
  uint8_t sm[16];
  float d, dmin;
};

struct DeqQ5_K : DeqQ4_K {
  explicit DeqQ5_K(const BlockQ5_K& b) : DeqQ4_K(reinterpret_cast<const BlockQ4_K&>(b)), qs5(b.qs), qh(load_u8x32(b.qh)) {}
  I8x32 codes(int c) const {
    return arm::or_i8(bits(load_u8x32(qs5 + 32 * (c / 2)), 4 * (c & 1), 0x0F), shl(bits(qh, c, 1), 4));
  }
  const uint8_t* qs5;
  U8x32 qh;
};

struct DeqQ6_K {
  static constexpr bool kMin = false;
  explicit DeqQ6_K(const BlockQ6_K& b) : blk(b), d(arm::f16_scalar(b.d)) {}
  I8x32 codes(int c) const {
    const int h = c / 4, k = c % 4;
    const I8x32 lo = bits(load_u8x32(blk.ql + 64 * h + 32 * (k & 1)), 4 * (k >> 1), 0x0F);
    const I8x32 hi = bits(load_u8x32(blk.qh + 32 * h), 2 * k, 3);
    return arm::sub_i8(arm::or_i8(lo, shl(hi, 4)), 32);
  }
  int scale(int c, int h) const { return blk.scales[2 * c + h]; }
  int32_t min_dot(const int16_t*) const { return 0; }
  const BlockQ6_K& blk;
  float d, dmin = 0.0f;
};

struct DeqQ3_K {
  static constexpr bool kMin = false;
  explicit DeqQ3_K(const BlockQ3_K& b) : blk(b), hmask(load_u8x32(b.hmask)), d(arm::f16_scalar(b.d)) {
    uint32_t a[3], u[4];
    std::memcpy(a, b.scales, 12);
    constexpr uint32_t kM1 = 0x03030303, kM2 = 0x0f0f0f0f;
    u[0] = (a[0] & kM2) | (((a[2] >> 0) & kM1) << 4);
    u[1] = (a[1] & kM2) | (((a[2] >> 2) & kM1) << 4);
    u[2] = ((a[0] >> 4) & kM2) | (((a[2] >> 4) & kM1) << 4);
    u[3] = ((a[1] >> 4) & kM2) | (((a[2] >> 6) & kM1) << 4);
    std::memcpy(s8, u, 16);
    for (auto& v : s8) v = static_cast<int8_t>(v - 32);
  }
  I8x32 codes(int c) const {
    const int h = c / 4, j = c % 4;
    const I8x32 lo = bits(load_u8x32(blk.qs + 32 * h), 2 * j, 3);
    return arm::sub_i8(arm::or_i8(lo, shl(bits(hmask, 4 * h + j, 1), 2)), 4);
  }
  int scale(int c, int h) const { return s8[2 * c + h]; }
  int32_t min_dot(const int16_t*) const { return 0; }
  const BlockQ3_K& blk;
  U8x32 hmask;
  int8_t s8[16];
  float d, dmin = 0.0f;
};

struct DeqQ2_K {
  static constexpr bool kMin = true;
  explicit DeqQ2_K(const BlockQ2_K& b) : blk(b), d(arm::f16_scalar(b.d)), dmin(arm::f16_scalar(b.dmin)) {}
  I8x32 codes(int c) const { return bits(load_u8x32(blk.qs + 32 * (c / 4)), 2 * (c % 4), 3); }
  int scale(int c, int h) const { return blk.scales[2 * c + h] & 0xF; }
  int32_t min_dot(const int16_t* bsums) const {
    int32_t s = 0;
    for (int j = 0; j < 16; ++j) s += (blk.scales[j] >> 4) * bsums[j];
    return s;
  }
  const BlockQ2_K& blk;
  float d, dmin;
};

struct DeqIQ4_XS {
  static constexpr bool kMin = false;
  explicit DeqIQ4_XS(const BlockIQ4_XS& b) : blk(b), d(arm::f16_scalar(b.d)) {}
  I8x32 codes(int c) const { return arm::lookup16(kIq4nlValues, arm::unpack_nibbles(blk.qs + 16 * c)); }
  int scale(int c, int) const {
    return (((blk.scales_l[c / 2] >> (4 * (c % 2))) & 0xF) | (((blk.scales_h >> (2 * c)) & 3) << 4)) - 32;
  }
  int32_t min_dot(const int16_t*) const { return 0; }
  const BlockIQ4_XS& blk;
  float d, dmin = 0.0f;
};

template <class Deq, class Block>
struct KQuant {
  template <int NX>
  static void run(const MatmulTask& t, int64_t row0, int64_t row1, int64_t tok0) {
    const int64_t nsb = t.n_in / kQK;
    const BlockQ8_K* xb[NX];
    for (int j = 0; j < NX; ++j) xb[j] = reinterpret_cast<const BlockQ8_K*>(arm::act_row(*t.x, tok0 + j).blocks);
    for (int64_t r = row0; r < row1; ++r) {
      const auto* wb = reinterpret_cast<const Block*>(t.w + static_cast<uint64_t>(r) * t.w_row_bytes);
      float32x4_t acc[NX];
      float acc_min[NX] = {};
      for (int j = 0; j < NX; ++j) acc[j] = vdupq_n_f32(0.0f);
      for (int64_t i = 0; i < nsb; ++i) {
        const Deq deq(wb[i]);
        int32x4_t sumi[NX];
        for (int j = 0; j < NX; ++j) sumi[j] = vdupq_n_s32(0);
        for (int c = 0; c < 8; ++c) {
          const I8x32 q = deq.codes(c);
          const int s0 = deq.scale(c, 0), s1 = deq.scale(c, 1);
          for (int j = 0; j < NX; ++j) {
            const I8x32 xq = arm::load_i8x32(xb[j][i].qs + 32 * c);
            sumi[j] = vmlaq_n_s32(sumi[j], arm::dot16(vdupq_n_s32(0), q.lo, xq.lo), s0);
            sumi[j] = vmlaq_n_s32(sumi[j], arm::dot16(vdupq_n_s32(0), q.hi, xq.hi), s1);
          }
        }
        for (int j = 0; j < NX; ++j) {
          acc[j] = vfmaq_n_f32(acc[j], vcvtq_f32_s32(sumi[j]), deq.d * xb[j][i].d);
          if constexpr (Deq::kMin) acc_min[j] += deq.dmin * xb[j][i].d * static_cast<float>(deq.min_dot(xb[j][i].bsums));
        }
      }
      for (int j = 0; j < NX; ++j) t.y[(tok0 + j) * t.y_stride + r] = vaddvq_f32(acc[j]) - acc_min[j];
    }
  }

  static void mul_mat(const MatmulTask& t, int64_t row0, int64_t row1) { arm::for_token_chunks<KQuant>(t, row0, row1); }
};

}  // namespace

void register_kquants_dotprod(KernelTable& kt) {
  auto set = [&](GgmlType type, MulMatFn fn) { kt.types[static_cast<uint32_t>(type)].mul_mat = fn; };
  set(GgmlType::Q2_K, KQuant<DeqQ2_K, BlockQ2_K>::mul_mat);
  set(GgmlType::Q3_K, KQuant<DeqQ3_K, BlockQ3_K>::mul_mat);
  set(GgmlType::Q4_K, KQuant<DeqQ4_K, BlockQ4_K>::mul_mat);
  set(GgmlType::Q5_K, KQuant<DeqQ5_K, BlockQ5_K>::mul_mat);
  set(GgmlType::Q6_K, KQuant<DeqQ6_K, BlockQ6_K>::mul_mat);
  set(GgmlType::IQ4_XS, KQuant<DeqIQ4_XS, BlockIQ4_XS>::mul_mat);
}

}  // namespace hako
