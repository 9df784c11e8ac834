// The direct kernels of the 32-element block formats (legacy_kernels.h)
// compiled for AVX-512 VNNI (vpdpbusd on 256-bit vectors).
#include "kernels/registry.h"
#include "kernels/x86/legacy_kernels.h"

namespace hako {

void register_legacy_avx512(KernelTable& t) { x86::register_legacy(t); }

}  // namespace hako
