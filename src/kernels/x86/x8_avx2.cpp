// AVX2 kernels for x8 weights (x86/x8_kernels.h): q4_0 only (q8_0's stored
// codes need VNNI); x86/gemm_avx2.cpp has the x8 GEMM. Marked x8_faster:
// qwen3-0.6B q4_0 synth, one thread, HAKO_KERNELS=avx2, x8 vs --no-repack
// alternating (machine partly loaded): decode 41-58 vs 33 tok/s, prefill
// pp256 183-197 vs 194-200 tok/s.
#include "kernels/x86/x8_kernels.h"

namespace hako {

void register_x8_avx2(KernelTable& kt) {
  TypeKernels& k = kt.types[static_cast<uint32_t>(GgmlType::Q4_0)];
  k.mul_mat_x8 = DirectX8<Q4_0X8>::mul_mat;
  k.x8_faster = true;
}

}  // namespace hako
