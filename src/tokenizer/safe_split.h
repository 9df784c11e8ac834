// SafeSplitter: finds places where text can be cut before the model runs
// without changing the result, so that SentencePiece-style vocabularies
// (which see a whole paragraph as one "word") merge short pieces instead of
// one long one and can reuse the word cache. A cut between characters d and
// e is exact when no token of the vocabulary contains "de": then no merge
// can ever join symbols across the cut, and merges on each side happen in the
// same relative order as in the uncut text. Only a few boundary characters
// are considered (▁, newline, CJK punctuation); the sets of characters that
// precede / follow each of them inside some token are computed at load.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace hako::tokenizer {

class SafeSplitter {
 public:
  // Scans the vocabulary (texts as they appear in the input, i.e. not
  // byte-level spelled). enabled() stays false until build() is called.
  void build(const Vocab& vocab);
  bool enabled() const { return enabled_; }
  // Appends to `cuts` the byte offsets (0 < offset < text.size(), ascending)
  // where `text` (valid UTF-8) may be cut.
  void find_cuts(std::string_view text, std::vector<uint32_t>& cuts) const;

 private:
  // A set of code points: a bitmap for the BMP, a sorted list above it.
  class CharSet {
   public:
    void add(uint32_t cp);
    void finish();  // sorts the list; call once after the last add()
    bool contains(uint32_t cp) const {
      if (cp < 0x10000) return (bmp_[cp >> 6] >> (cp & 63)) & 1;
      return contains_big(cp);
    }

   private:
    bool contains_big(uint32_t cp) const;
    std::vector<uint64_t> bmp_ = std::vector<uint64_t>(0x10000 / 64, 0);
    std::vector<uint32_t> big_;
  };
  struct Boundary {
    uint32_t cp = 0;
    CharSet pred;  // characters seen right before cp inside some token
    CharSet succ;  // characters seen right after cp inside some token
  };
  const Boundary* boundary(uint32_t cp) const;
  bool enabled_ = false;
  std::vector<Boundary> bounds_;
};

}  // namespace hako::tokenizer
