// Run-time kernel selection. Each instruction-set level (Isa) has a table of
// function pointers: one matmul driver per weight type, one activation
// quantizer per activation type. A level's table starts as a copy of the
// level below (scalar reference <- AVX2 <- AVX-512 VNNI; reference <- NEON
// <- dotprod) and overrides what that level implements, so every type with
// quant traits always has a kernel. cpu_features() is read once; the
// HAKO_KERNELS environment variable (read once: ref | avx2 | avx512 | neon |
// dotprod) forces a level, e.g. `HAKO_KERNELS=ref` for bisecting numerics.
// Not here: the kernels themselves (scalar/, x86/, arm/) or the threading
// (matmul.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "kernels/matmul.h"
#include "tensor/ggml_type.h"

namespace hako {

enum class Isa : uint8_t {
  kRef,      // scalar: the quant/ reference functions themselves
  kAvx2,     // x86-64 AVX2 + FMA + F16C
  kAvx512,   // x86-64 AVX-512 F/BW/VL/DQ + VNNI (Zen 4, Ice Lake and later)
  kNeon,     // ARMv8 Advanced SIMD
  kDotprod,  // ARMv8.2 SDOT/UDOT
};
inline constexpr int kIsaCount = 5;
inline constexpr std::array<std::string_view, kIsaCount> kIsaNames = {"ref", "avx2", "avx512", "neon",
                                                                      "dotprod"};
constexpr std::string_view to_string(Isa isa) { return kIsaNames[static_cast<int>(isa)]; }

// One matmul as a kernel sees it. Row indices given to a kernel are relative
// to `w` (the first row of the requested range) and to y's column 0.
struct MatmulTask {
  GgmlType type = GgmlType::F32;  // of W
  const uint8_t* w = nullptr;  // row 0; rows are w_row_bytes apart
  uint64_t w_row_bytes = 0;
  int64_t n_in = 0;
  const QuantizedActs* x = nullptr;
  float* y = nullptr;  // y[t * y_stride + r]
  int64_t y_stride = 0;
};

// Computes rows [row0, row1) of y for every token of task.x. Called from
// several threads at once on disjoint row ranges; never allocates or throws.
using MulMatFn = void (*)(const MatmulTask& task, int64_t row0, int64_t row1);

// Where one token's quantized activations go (see QuantizedActs).
struct ActRowOut {
  void* row = nullptr;           // row_bytes of ggml blocks
  float* group_d = nullptr;      // n/32 floats, or null for float act types
  int32_t* group_sum = nullptr;  // n/32 ints, or null for float act types
  int32_t* quad_nsum = nullptr;  // n/4 ints (minus each 4 codes' sum), or null
};
// Converts n f32 values (n a multiple of the act type's block size).
using QuantizeRowFn = void (*)(const float* x, int64_t n, const ActRowOut& out);

// The kernels of one weight type. The *_x8 ones read weights in the x8 row
// layout (quant/interleave.h; row ranges are multiples of 8). Every level
// can run x8 weights (the reference level has an x8 kernel); `x8_faster`
// marks the types whose x8 kernels at this level beat the plain ones, which
// the loader then stores x8 (model/weight_store.h).
struct TypeKernels {
  MulMatFn mul_mat = nullptr;  // works from QuantizedActs::data / group_*; any n_tok
  MulMatFn gemm = nullptr;     // needs QuantizedActs::tiles; used for n_tok >= gemm_min_tokens
  int gemm_min_tokens = 0;
  MulMatFn mul_mat_x8 = nullptr;  // x8 layout, any n_tok
  MulMatFn gemm_x8 = nullptr;     // x8 layout, needs tiles; n_tok >= gemm_min_tokens
  bool x8_faster = false;
};

struct KernelTable {
  Isa isa = Isa::kRef;
  std::array<TypeKernels, kGgmlTypeCount> types{};                          // by weight type
  std::array<std::array<QuantizeRowFn, 2>, kGgmlTypeCount> quantize{};     // [act type][ActRounding]
  int tile_tokens = 0;  // tokens per GEMM tile of this level's gemm kernels; 0 = none
};

// The table used by matmul()/quantize_acts() without an Exec: HAKO_KERNELS if
// set and supported here, else the best level this CPU supports. Chosen on
// first call (thread-safe), never changes.
const KernelTable& active_kernels();
// The table of one level, or nullptr if this build or this CPU lacks it.
const KernelTable* kernels_for(Isa isa);

}  // namespace hako
