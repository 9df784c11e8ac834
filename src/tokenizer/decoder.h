// TokenDecoder: turns token ids back into bytes. Every decoder chain this
// project supports (Hugging Face ByteLevel, Replace, ByteFallback, Fuse,
// Strip, Metaspace, WordPiece; llama.cpp's token_to_piece for GGUF
// vocabularies) reduces to a per-token byte string plus two whole-output
// rules (drop one leading space of the first token; BERT clean-up), so the
// pieces are computed once at load and decoding is concatenation. Invalid
// UTF-8 is handled by the callers (Tokenizer::decode, StreamDecoder).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hako::tokenizer {

struct TokenDecoder {
  std::vector<std::string> pieces;   // [n_vocab] bytes each token stands for
  std::vector<uint8_t> special;      // [n_vocab] 1: hidden when specials are hidden
  bool strip_first_space = false;    // drop a ' ' that starts the first emitted token
  bool cleanup_spaces = false;       // default of DecodeOptions' clean-up (" ." -> ".")

  // The bytes of `id` given its position (first emitted token or not).
  std::string_view piece(int32_t id, bool first) const {
    std::string_view p = pieces[size_t(id)];
    if (first && strip_first_space && !p.empty() && p[0] == ' ') p.remove_prefix(1);
    return p;
  }
};

// Hugging Face's clean_up_tokenization: removes the space before . ? ! , and
// before the contractions n't 'm 's 've 're, and " ' " -> "'".
std::string cleanup_tokenization_spaces(std::string_view text);

}  // namespace hako::tokenizer
