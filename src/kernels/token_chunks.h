// Internal helpers shared by the direct kernels of every ISA: pointers into
// one token's activations, and the loop that feeds a kernel templated on the
// token count NX (1..8) with token chunks, rows in groups so a group's
// weights stay in cache across chunks. Portable C++; internal linkage, so
// each ISA's translation unit gets its own copy (see x86/avx_common.h).
#pragma once

#include <cstdint>

#include "kernels/dispatch.h"

namespace hako::kernel_detail {
namespace {

// Tokens handled together by the direct kernels (one weight block unpacked,
// used for up to kMaxNx tokens).
inline constexpr int kMaxNx = 8;

// Pointers into one token's activations.
struct ActRow {
  const uint8_t* blocks;  // ggml blocks of the act type
  const float* d;         // group_d of the token (q8 act types)
  const int32_t* sum;     // group_sum of the token (q8 act types)
  const int32_t* qnsum;   // quad_nsum of the token (q8 act types)
};

inline ActRow act_row(const QuantizedActs& x, int64_t t) {
  const int64_t n_groups = x.n_in / 32;
  return {static_cast<const uint8_t*>(x.data) + static_cast<uint64_t>(t) * x.row_bytes,
          x.group_d ? x.group_d + t * n_groups : nullptr, x.group_sum ? x.group_sum + t * n_groups : nullptr,
          x.quad_nsum ? x.quad_nsum + t * (x.n_in / 4) : nullptr};
}

// Calls Kernel::run<NX>(task, row0, row1, tok0) over token chunks of up to
// kMaxNx tokens, rows in groups of 16.
template <class Kernel>
void for_token_chunks(const MatmulTask& t, int64_t row0, int64_t row1) {
  constexpr int64_t kRowGroup = 16;
  const int64_t n_tok = t.x->n_tok;
  for (int64_t rg = row0; rg < row1; rg += kRowGroup) {
    const int64_t rg1 = rg + kRowGroup < row1 ? rg + kRowGroup : row1;
    for (int64_t t0 = 0; t0 < n_tok; t0 += kMaxNx) {
      switch (n_tok - t0 < kMaxNx ? n_tok - t0 : kMaxNx) {
        case 1: Kernel::template run<1>(t, rg, rg1, t0); break;
        case 2: Kernel::template run<2>(t, rg, rg1, t0); break;
        case 3: Kernel::template run<3>(t, rg, rg1, t0); break;
        case 4: Kernel::template run<4>(t, rg, rg1, t0); break;
        case 5: Kernel::template run<5>(t, rg, rg1, t0); break;
        case 6: Kernel::template run<6>(t, rg, rg1, t0); break;
        case 7: Kernel::template run<7>(t, rg, rg1, t0); break;
        default: Kernel::template run<8>(t, rg, rg1, t0); break;
      }
    }
  }
}

}  // namespace
}  // namespace hako::kernel_detail
