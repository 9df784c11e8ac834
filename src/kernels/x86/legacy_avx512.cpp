// Placeholder for the legacy_avx512 kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_legacy_avx512(KernelTable&) {}

}  // namespace hako
