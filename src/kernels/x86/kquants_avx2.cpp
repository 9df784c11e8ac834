// Placeholder for the kquants_avx2 kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_kquants_avx2(KernelTable&) {}

}  // namespace hako
