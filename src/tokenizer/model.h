// Model: the algorithm that turns one pre-tokenized piece ("word") into
// token ids — BPE (merge ranks, byte-level or with byte fallback),
// SentencePiece (score-driven merges, llama.cpp's SPM) or WordPiece (greedy
// longest match). Implementations are read-only after construction and
// thread-safe; per-call state lives in a ModelScratch the caller owns.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace hako::tokenizer {

// Per-call working memory; one per encode() call (or per thread).
struct ModelScratch {
  virtual ~ModelScratch() = default;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::unique_ptr<ModelScratch> make_scratch() const = 0;
  // Appends the ids of `word` (valid UTF-8, non-empty) to out.
  virtual void encode(std::string_view word, ModelScratch& scratch, std::vector<int32_t>& out) const = 0;
  // Appends the id(s) for one byte of input that is not valid UTF-8 (byte
  // fallback); appends nothing if the vocabulary cannot represent it.
  virtual void encode_invalid_byte(uint8_t byte, std::vector<int32_t>& out) const = 0;
};

}  // namespace hako::tokenizer
