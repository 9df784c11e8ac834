// The architecture table (see arch_registry.h).
#include "model/arch_registry.h"

#include <array>

#include "base/error.h"
#include "model/arch/archs.h"

namespace hako::model {
namespace {

constexpr std::array kArchs = {
    ArchEntry{"llama", &arch::build_llama},
    ArchEntry{"phi3", &arch::build_phi3},
    ArchEntry{"qwen2", &arch::build_qwen2},
    ArchEntry{"qwen3", &arch::build_qwen3},
};

}  // namespace

std::span<const ArchEntry> arch_registry() { return kArchs; }

std::string supported_arch_list() {
  std::string s;
  for (const ArchEntry& a : kArchs) s += (s.empty() ? "" : ", ") + std::string(a.name);
  return s;
}

const ArchEntry& find_arch_or_throw(std::string_view name) {
  for (const ArchEntry& a : kArchs) {
    if (a.name == name) return a;
  }
  throw Error(ErrorKind::kUnsupported, "unsupported architecture '" + std::string(name) +
                                           "' (supported: " + supported_arch_list() + ")");
}

}  // namespace hako::model
