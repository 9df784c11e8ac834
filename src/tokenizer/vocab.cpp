// Vocab index construction (see vocab.h).
#include "tokenizer/vocab.h"

#include <cstdio>

namespace hako::tokenizer {

void Vocab::build_index() {
  index.build(texts);
  if (attrs.size() < texts.size()) attrs.resize(texts.size(), TokenAttr::kNormal);
  for (int b = 0; b < 256; ++b) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), "<0x%02X>", b);
    byte_tokens[size_t(b)] = find(buf);
  }
}

}  // namespace hako::tokenizer
