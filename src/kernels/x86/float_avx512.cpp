// Placeholder for the float_avx512 kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_float_avx512(KernelTable&) {}

}  // namespace hako
