// AVX-512 VNNI kernels for x8 weights (x86/x8_kernels.h): q4_0 and q8_0,
// faster than the row-major ones (bench/kernels: q4_0 from L2 at one thread
// 17 -> 46 GB/s, q8_0 34 -> 70 GB/s), so the loader interleaves them.
#include "kernels/x86/x8_kernels.h"

namespace hako {

static_assert(x86::kVnni);

void register_x8_avx512(KernelTable& kt) {
  auto set = [&](GgmlType type, MulMatFn fn) {
    TypeKernels& k = kt.types[static_cast<uint32_t>(type)];
    k.mul_mat_x8 = fn;
    k.x8_faster = true;
  };
  set(GgmlType::Q4_0, DirectX8<Q4_0X8>::mul_mat);
  set(GgmlType::Q8_0, DirectX8<Q8_0X8>::mul_mat);
}

}  // namespace hako
