// SafeSplitter (see safe_split.h).
#include "tokenizer/safe_split.h"

#include <algorithm>
#include <array>

#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {
constexpr std::array<uint32_t, 9> kBoundaryChars = {
    0x2581,  // ▁ (SentencePiece space)
    '\n',
    0x3001,  // 、
    0x3002,  // 。
    0xFF0C,  // ，
    0xFF01,  // ！
    0xFF1F,  // ？
    0x300C,  // 「
    0x300D,  // 」
};

bool contains(const std::vector<uint32_t>& v, uint32_t x) {
  return std::binary_search(v.begin(), v.end(), x);
}
}  // namespace

void SafeSplitter::build(const Vocab& vocab) {
  bounds_.clear();
  // A boundary character must be a token itself, so that it never becomes an
  // unknown symbol that could fuse with a neighbour.
  for (uint32_t cp : kBoundaryChars) {
    if (vocab.find(utf8_encode(cp)) >= 0) bounds_.push_back({cp, {}, {}});
  }
  std::vector<uint32_t> cps;
  for (const std::string& t : vocab.texts) {
    // Quick reject: tokens without a boundary character's lead byte.
    if (t.find_first_of("\n\xE2\xE3\xEF") == std::string::npos) continue;
    cps.clear();
    for (size_t i = 0; i < t.size();) {
      uint32_t cp;
      i += utf8_decode(t, i, cp);
      cps.push_back(cp);
    }
    for (size_t k = 0; k < cps.size(); ++k) {
      for (Boundary& b : bounds_) {
        if (cps[k] != b.cp) continue;
        if (k > 0) b.pred.push_back(cps[k - 1]);
        if (k + 1 < cps.size()) b.succ.push_back(cps[k + 1]);
      }
    }
  }
  for (Boundary& b : bounds_) {
    std::sort(b.pred.begin(), b.pred.end());
    b.pred.erase(std::unique(b.pred.begin(), b.pred.end()), b.pred.end());
    std::sort(b.succ.begin(), b.succ.end());
    b.succ.erase(std::unique(b.succ.begin(), b.succ.end()), b.succ.end());
  }
  enabled_ = true;
}

const SafeSplitter::Boundary* SafeSplitter::boundary(uint32_t cp) const {
  if (cp != '\n' && cp < 0x2581) return nullptr;
  for (const Boundary& b : bounds_) {
    if (b.cp == cp) return &b;
  }
  return nullptr;
}

void SafeSplitter::find_cuts(std::string_view text, std::vector<uint32_t>& cuts) const {
  uint32_t prev = kInvalidCodePoint;
  const Boundary* prev_b = nullptr;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    const size_t len = utf8_decode(text, i, cp);
    const Boundary* b = boundary(cp);
    if (i > 0) {
      bool cut = (b && !contains(b->pred, prev)) || (prev_b && !contains(prev_b->succ, cp));
      if (cut) cuts.push_back(uint32_t(i));
    }
    prev = cp;
    prev_b = b;
    i += len;
  }
}

}  // namespace hako::tokenizer
