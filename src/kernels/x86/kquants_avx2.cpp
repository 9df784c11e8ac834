// The direct kernels of the K-quant formats (kquant_kernels.h) compiled for
// AVX2 (maddubs + madd).
#include "kernels/registry.h"
#include "kernels/x86/kquant_kernels.h"

namespace hako {

void register_kquants_avx2(KernelTable& t) { x86::register_kquants(t); }

}  // namespace hako
