// Vocab: the token table shared by every tokenizer model — id -> text, score
// and attribute, text -> id, and the byte-fallback tokens `<0xNN>`. It holds
// data only; the algorithms that cut text into ids live in the *_model files.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/hash_index.h"

namespace hako::tokenizer {

// Token attributes; the values equal GGUF's tokenizer.ggml.token_type ids.
enum class TokenAttr : uint8_t {
  kUndefined = 0,
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,      // special tokens (<s>, <|im_start|>): matched in text only in parse-special mode
  kUserDefined = 4,  // added tokens matched in text in both modes (<think>, runs of spaces)
  kUnused = 5,
  kByte = 6,         // <0xNN> byte-fallback tokens
};

struct Vocab {
  std::vector<std::string> texts;  // [n_vocab] token text as stored in the model
  std::vector<float> scores;       // [n_vocab] SentencePiece log-probs, or empty
  std::vector<TokenAttr> attrs;    // [n_vocab]
  StringIndex index;               // text -> id
  std::array<int32_t, 256> byte_tokens{};  // id of "<0xNN>" per byte, -1 if absent

  int32_t size() const { return int32_t(texts.size()); }
  int32_t find(std::string_view text) const { return index.find(texts, text); }
  bool valid(int32_t id) const { return id >= 0 && id < size(); }
  // Builds `index` and `byte_tokens` from `texts` (call after filling texts).
  void build_index();
};

}  // namespace hako::tokenizer
