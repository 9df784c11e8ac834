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

}  // namespace

void SafeSplitter::CharSet::add(uint32_t cp) {
  if (cp < 0x10000) {
    bmp_[cp >> 6] |= uint64_t(1) << (cp & 63);
  } else {
    big_.push_back(cp);
  }
}

void SafeSplitter::CharSet::finish() {
  std::sort(big_.begin(), big_.end());
  big_.erase(std::unique(big_.begin(), big_.end()), big_.end());
}

bool SafeSplitter::CharSet::contains_big(uint32_t cp) const {
  return std::binary_search(big_.begin(), big_.end(), cp);
}

void SafeSplitter::build(const Vocab& vocab) {
  bounds_.clear();
  // A boundary character must be a token itself, so that it never becomes an
  // unknown symbol that could fuse with a neighbour.
  for (uint32_t cp : kBoundaryChars) {
    if (vocab.find(utf8_encode(cp)) >= 0) {
      bounds_.emplace_back();
      bounds_.back().cp = cp;
    }
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
        if (k > 0) b.pred.add(cps[k - 1]);
        if (k + 1 < cps.size()) b.succ.add(cps[k + 1]);
      }
    }
  }
  for (Boundary& b : bounds_) {
    b.pred.finish();
    b.succ.finish();
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

namespace {
// Start of the code point that ends at `end` (exclusive); valid UTF-8 assumed.
size_t start_before(std::string_view s, size_t end) {
  size_t b = end - 1;
  while (b > 0 && (uint8_t(s[b]) & 0xC0) == 0x80) --b;
  return b;
}
}  // namespace

void SafeSplitter::find_cuts(std::string_view text, std::vector<uint32_t>& cuts) const {
  auto add = [&](size_t at) {
    if (at == 0 || at >= text.size()) return;
    if (!cuts.empty() && cuts.back() >= at) return;
    cuts.push_back(uint32_t(at));
  };
  // Boundary characters are '\n' or start with byte E2, E3 or EF: skip the rest.
  static constexpr auto kLead = [] {
    std::array<bool, 256> t{};
    t['\n'] = t[0xE2] = t[0xE3] = t[0xEF] = true;
    return t;
  }();
  for (size_t i = 0; i < text.size(); ++i) {
    if (!kLead[uint8_t(text[i])]) continue;
    uint32_t cp;
    const size_t len = utf8_decode(text, i, cp);
    const Boundary* b = boundary(cp);
    if (!b) continue;
    if (i > 0) {
      uint32_t prev;
      utf8_decode(text, start_before(text, i), prev);
      if (!b->pred.contains(prev)) add(i);
    }
    if (i + len < text.size()) {
      uint32_t next;
      utf8_decode(text, i + len, next);
      if (!b->succ.contains(next)) add(i + len);
    }
    i += len - 1;
  }
}

}  // namespace hako::tokenizer
