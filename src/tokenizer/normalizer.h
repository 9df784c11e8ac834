// Normalizer: the text rewrites applied to each piece of input between added
// tokens before pre-tokenization — Unicode forms (NFC, NFD, NFKC, NFKD),
// Lowercase, Strip, StripAccents, Replace (literal or regex), Prepend and the
// BERT normalizer — as a flat list of steps run in order (Hugging Face's
// `Sequence` is flattened at load). It neither splits text nor knows tokens.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"

namespace hako::tokenizer {

enum class NormalizerKind : uint8_t {
  kUnicode,       // form
  kLowercase,
  kStrip,         // strip_left / strip_right: whitespace
  kStripAccents,  // removes non-spacing marks (Mn)
  kReplace,       // pattern (literal) or regex -> content
  kPrepend,       // content, only to non-empty text
  kBert,          // clean_text, handle_chinese_chars, strip_accents, lowercase
};

struct NormalizerStep {
  NormalizerKind kind = NormalizerKind::kUnicode;
  NormForm form = NormForm::kNfc;
  std::string pattern;  // kReplace: literal pattern (when regex is null)
  std::shared_ptr<const Regex> regex;
  std::string content;  // kReplace / kPrepend
  bool strip_left = true, strip_right = true;
  bool clean_text = true, handle_chinese_chars = true, strip_accents = false, lowercase = true;
};

class Normalizer {
 public:
  void add(NormalizerStep step) { steps_.push_back(std::move(step)); }
  bool empty() const { return steps_.empty(); }
  // Runs every step on valid UTF-8 `text`. Returns a view of the result,
  // which is `text` itself, `buf_a` or `buf_b` (scratch buffers the caller
  // keeps alive while it uses the view).
  std::string_view apply(std::string_view text, std::string& buf_a, std::string& buf_b) const;

 private:
  std::vector<NormalizerStep> steps_;
};

// True for the CJK ideograph blocks BERT pads with spaces.
bool is_cjk_ideograph(uint32_t cp);

}  // namespace hako::tokenizer
