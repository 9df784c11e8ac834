// Placeholder for the float_neon kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_float_neon(KernelTable&) {}

}  // namespace hako
