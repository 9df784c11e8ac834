// Name lookup over the type table.
#include "tensor/ggml_type.h"

#include <cctype>

namespace hako {

std::optional<GgmlType> ggml_type_from_name(std::string_view name) {
  for (uint32_t id = 0; id < kGgmlTypeCount; ++id) {
    const std::string_view n = kTypeInfo[id].name;
    if (n.empty() || n.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < n.size() && eq; ++i)
      eq = std::tolower(static_cast<unsigned char>(n[i])) ==
           std::tolower(static_cast<unsigned char>(name[i]));
    if (eq) return static_cast<GgmlType>(id);
  }
  return std::nullopt;
}

}  // namespace hako
