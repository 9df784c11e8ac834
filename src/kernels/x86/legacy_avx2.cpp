// The direct kernels of the 32-element block formats (legacy_kernels.h)
// compiled for AVX2 (maddubs + madd).
#include "kernels/registry.h"
#include "kernels/x86/legacy_kernels.h"

namespace hako {

void register_legacy_avx2(KernelTable& t) { x86::register_legacy(t); }

}  // namespace hako
