// WordPieceModel: BERT's greedy longest-match-first tokenization of a word.
// The first piece is looked up with `word_prefix` ("" in Hugging Face files,
// "▁" in GGUF files converted by llama.cpp), later pieces with
// `continuing_prefix` ("##" in Hugging Face files, "" in GGUF). A word with a
// character that no piece covers, or longer than max_input_chars, becomes the
// unknown token.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/model.h"
#include "tokenizer/vocab.h"

namespace hako::tokenizer {

struct WordPieceOptions {
  std::string word_prefix;
  std::string continuing_prefix = "##";
  int32_t unk_id = -1;
  size_t max_input_chars = 100;  // 0: no limit
};

class WordPieceModel : public Model {
 public:
  WordPieceModel(const Vocab& vocab, WordPieceOptions options);

  std::unique_ptr<ModelScratch> make_scratch() const override;
  void encode(std::string_view word, ModelScratch& scratch, std::vector<int32_t>& out) const override;
  void encode_invalid_byte(uint8_t byte, std::vector<int32_t>& out) const override;

 private:
  const Vocab& vocab_;
  WordPieceOptions opt_;
  size_t max_token_bytes_ = 0;
};

}  // namespace hako::tokenizer
