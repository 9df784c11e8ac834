// Placeholder for the acts_neon kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_acts_neon(KernelTable&) {}

}  // namespace hako
