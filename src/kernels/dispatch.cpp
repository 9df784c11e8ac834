// Builds the kernel table of every level this build and CPU support, once,
// and picks the active one (HAKO_KERNELS or the best).
#include "kernels/dispatch.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "base/cpu_features.h"
#include "kernels/registry.h"

namespace hako {
namespace {

struct Tables {
  std::array<std::unique_ptr<KernelTable>, kIsaCount> by_isa;
  const KernelTable* active = nullptr;
};

// A level's table: a copy of `base` with the level's kernels registered on top.
using RegisterFn = void (*)(KernelTable&);

template <size_t N>
std::unique_ptr<KernelTable> derive(const KernelTable& base, Isa isa, const RegisterFn (&regs)[N]) {
  auto t = std::make_unique<KernelTable>(base);
  t->isa = isa;
  for (RegisterFn r : regs) r(*t);
  return t;
}

const KernelTable* from_env(const Tables& tables) {
  const char* env = std::getenv("HAKO_KERNELS");
  if (env == nullptr || *env == '\0') return nullptr;
  const std::string_view want(env);
  for (int i = 0; i < kIsaCount; ++i) {
    if (kIsaNames[i] != want) continue;
    if (tables.by_isa[i]) return tables.by_isa[i].get();
    std::fprintf(stderr, "hako: HAKO_KERNELS=%s is not supported on this CPU; using the best level\n", env);
    return nullptr;
  }
  std::fprintf(stderr, "hako: HAKO_KERNELS=%s is not one of ref, avx2, avx512, neon, dotprod; ignored\n", env);
  return nullptr;
}

Tables build() {
  Tables tables;
  auto ref = std::make_unique<KernelTable>();
  register_ref(*ref);
  const KernelTable* best = ref.get();
  [[maybe_unused]] const CpuFeatures& f = cpu_features();
#if defined(__x86_64__)
  if (f.avx2) {
    static constexpr RegisterFn kAvx2[] = {register_acts_avx2, register_legacy_avx2, register_kquants_avx2,
                                           register_float_avx2, register_x8_avx2, register_gemm_avx2};
    tables.by_isa[int(Isa::kAvx2)] = derive(*ref, Isa::kAvx2, kAvx2);
    best = tables.by_isa[int(Isa::kAvx2)].get();
    if (f.avx512 && f.avx512_vnni) {
      static constexpr RegisterFn kAvx512[] = {register_acts_avx512,    register_legacy_avx512,
                                               register_kquants_avx512, register_float_avx512,
                                               register_decode_avx512,  register_x8_avx512,
                                               register_gemm_avx512};
      tables.by_isa[int(Isa::kAvx512)] = derive(*best, Isa::kAvx512, kAvx512);
      best = tables.by_isa[int(Isa::kAvx512)].get();
    }
  }
#elif defined(__aarch64__)
  if (f.neon) {
    static constexpr RegisterFn kNeon[] = {register_acts_neon, register_float_neon};
    tables.by_isa[int(Isa::kNeon)] = derive(*ref, Isa::kNeon, kNeon);
    best = tables.by_isa[int(Isa::kNeon)].get();
    if (f.dotprod) {
      static constexpr RegisterFn kDot[] = {register_legacy_dotprod, register_kquants_dotprod};
      tables.by_isa[int(Isa::kDotprod)] = derive(*best, Isa::kDotprod, kDot);
      best = tables.by_isa[int(Isa::kDotprod)].get();
    }
  }
#endif
  tables.by_isa[int(Isa::kRef)] = std::move(ref);
  const KernelTable* forced = from_env(tables);
  tables.active = forced ? forced : best;
  return tables;
}

const Tables& tables() {
  static const Tables t = build();
  return t;
}

}  // namespace

const KernelTable& active_kernels() { return *tables().active; }

const KernelTable* kernels_for(Isa isa) { return tables().by_isa[static_cast<int>(isa)].get(); }

}  // namespace hako
