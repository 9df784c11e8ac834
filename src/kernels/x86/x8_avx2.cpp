// AVX2 kernels for x8 weights (x86/x8_kernels.h): q4_0 only (q8_0's stored
// codes need VNNI). Not marked x8_faster yet: decode is faster (qwen3-0.6B
// q4_0, one thread, HAKO_KERNELS=avx2: 21-22 vs 10-18 tok/s on a loaded
// machine) but this level has no x8 GEMM, and prefill through these direct
// kernels was 0.6x the row-major GEMM's. So the loader keeps q4_0 as stored
// here; the kernels serve x8 weights loaded for another level and tests.
#include "kernels/x86/x8_kernels.h"

namespace hako {

void register_x8_avx2(KernelTable& kt) {
  TypeKernels& k = kt.types[static_cast<uint32_t>(GgmlType::Q4_0)];
  k.mul_mat_x8 = DirectX8<Q4_0X8>::mul_mat;
}

}  // namespace hako
