// Placeholder for the legacy_dotprod kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_legacy_dotprod(KernelTable&) {}

}  // namespace hako
