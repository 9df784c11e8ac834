// Placeholder for the legacy_avx2 kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_legacy_avx2(KernelTable&) {}

}  // namespace hako
