// The float-format direct kernels (float_kernels.h) compiled for avx512.
#include "kernels/registry.h"
#include "kernels/x86/float_kernels.h"

namespace hako {

void register_float_avx512(KernelTable& t) { x86::register_float(t); }

}  // namespace hako
