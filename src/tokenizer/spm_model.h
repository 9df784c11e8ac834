// SpmModel: SentencePiece-style tokenization as llama.cpp does it for
// `tokenizer.ggml.model = llama` vocabularies (Llama 2, Gemma 3, Phi-3):
// start from one symbol per character and repeatedly merge the adjacent pair
// whose concatenation is the highest-scoring token (leftmost on ties); any
// symbol left that is not a token becomes its bytes as `<0xNN>` tokens, or
// the unknown token. Spaces must already be `▁` (the normalizer does that).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "tokenizer/model.h"
#include "tokenizer/vocab.h"

namespace hako::tokenizer {

class SpmModel : public Model {
 public:
  // `vocab` (with scores) must outlive the model.
  SpmModel(const Vocab& vocab, int32_t unk_id);

  std::unique_ptr<ModelScratch> make_scratch() const override;
  void encode(std::string_view word, ModelScratch& scratch, std::vector<int32_t>& out) const override;
  void encode_invalid_byte(uint8_t byte, std::vector<int32_t>& out) const override;

 private:
  void emit(std::string_view piece, std::vector<int32_t>& out) const;

  const Vocab& vocab_;
  int32_t unk_id_;
};

}  // namespace hako::tokenizer
