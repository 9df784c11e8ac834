// PreTokenizer: cuts normalized text into the pieces the model encodes one by
// one ("words"), as a flat list of steps each applied to every current piece:
// Split by regex or literal (Hugging Face behaviours Removed / Isolated /
// MergedWithPrevious / MergedWithNext / Contiguous, optional invert),
// ByteLevel's GPT-2 regex and prefix space, Metaspace, Digits, Punctuation,
// Whitespace, WhitespaceSplit and BERT's splitter. GGUF `tokenizer.ggml.pre`
// names map to these steps in pre_types.cpp. Byte-level mapping of bytes to
// the GPT-2 alphabet is not done here: the BPE model reads raw bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/regex.h"

namespace hako::tokenizer {

enum class SplitBehavior : uint8_t { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

enum class PreTokenizerKind : uint8_t {
  kSplit,           // regex or literal pattern
  kPrefixSpace,     // ByteLevel add_prefix_space: ' ' before pieces not starting with one
  kMetaspace,       // ' ' -> replacement, prepend per scheme, split before replacement
  kDigits,          // runs of (or single) numeric characters isolated
  kPunctuation,     // punctuation characters, with behaviour
  kWhitespace,      // \w+|[^\w\s]+ kept, rest removed
  kWhitespaceSplit, // split on whitespace, removed
  kBert,            // whitespace removed, punctuation isolated
};

enum class PrependScheme : uint8_t { kAlways, kFirst, kNever };

struct PreTokenizerStep {
  PreTokenizerKind kind = PreTokenizerKind::kSplit;
  std::shared_ptr<const Regex> regex;  // kSplit with a regex pattern
  std::string literal;                 // kSplit with a string pattern; kMetaspace replacement
  SplitBehavior behavior = SplitBehavior::kIsolated;
  bool invert = false;
  bool individual_digits = false;      // kDigits
  PrependScheme prepend = PrependScheme::kAlways;  // kMetaspace
  bool metaspace_split = true;         // kMetaspace
};

// A list of pieces: byte ranges into `text()`.
class Pieces {
 public:
  struct Span {
    uint32_t offset;
    uint32_t length;
  };
  void reset(std::string_view base) {
    base_ = base;
    own_.clear();
    owned_ = false;
    spans_.clear();
  }
  std::string_view text() const { return owned_ ? std::string_view(own_) : base_; }
  std::string_view piece(const Span& s) const { return text().substr(s.offset, s.length); }
  const std::vector<Span>& spans() const { return spans_; }
  std::vector<Span>& spans() { return spans_; }
  // Replaces the text with an owned buffer (for steps that rewrite text).
  void adopt(std::string&& text) {
    own_ = std::move(text);
    owned_ = true;
  }
 private:
  std::string_view base_;
  std::string own_;
  bool owned_ = false;
  std::vector<Span> spans_;
};

class PreTokenizer {
 public:
  void add(PreTokenizerStep step) { steps_.push_back(std::move(step)); }
  bool empty() const { return steps_.empty(); }
  const std::vector<PreTokenizerStep>& steps() const { return steps_; }
  // Splits valid UTF-8 `text` into `out` (reset first). `first_in_input`
  // tells Metaspace's "first" scheme whether this text starts the input.
  void apply(std::string_view text, bool first_in_input, Pieces& out) const;

 private:
  std::vector<PreTokenizerStep> steps_;
};

}  // namespace hako::tokenizer
