// Placeholder for the kquants_avx512 kernels (filled in by the following commits).
#include "kernels/registry.h"

namespace hako {

void register_kquants_avx512(KernelTable&) {}

}  // namespace hako
