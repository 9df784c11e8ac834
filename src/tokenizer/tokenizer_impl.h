// TokenizerImpl: everything a loaded tokenizer consists of — vocabulary,
// model, normalizer, pre-tokenizer, added tokens, decoder table and special
// ids. Loaders (load_gguf.cpp, load_hf_json.cpp) fill a TokenizerImpl and call
// finalize(); encode.cpp and the public Tokenizer read it. Internal header.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/added_tokens.h"
#include "tokenizer/decoder.h"
#include "tokenizer/model.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/safe_split.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab.h"

namespace hako::tokenizer {

struct SpecialIds {
  int32_t bos = -1, eos = -1, eot = -1, eom = -1, unk = -1, pad = -1, sep = -1, mask = -1;
};

struct TokenizerImpl {
  std::string source;  // file name, for messages
  VocabType type = VocabType::kBpe;
  Vocab vocab;
  std::unique_ptr<Model> model;
  Normalizer normalizer;
  PreTokenizer pretokenizer;
  std::vector<AddedToken> added;
  AddedTokenMatcher raw_matcher;         // added tokens matched in the raw text
  AddedTokenMatcher normalized_matcher;  // added tokens matched after normalization
  bool has_normalized_added = false;
  SafeSplitter safe_split;               // exact extra cuts for unsplit text (see safe_split.h)
  TokenDecoder decoder;
  SpecialIds ids;
  bool add_bos = false;
  bool add_eos = false;
  std::vector<int32_t> eog;       // sorted
  std::vector<uint8_t> eog_flag;  // [n_vocab]
  uint64_t instance_id = 0;       // unique per loaded tokenizer (keys per-thread scratch)

  // Builds the matchers, EOG set and checks ids; call once after loading.
  void finalize();
  // Encodes text between added tokens (no BOS/EOS, no added-token split).
  void encode_text(std::string_view text, bool at_input_start, InvalidUtf8 invalid,
                   std::vector<int32_t>& out, struct EncodeScratch& scratch) const;
};

struct EncodeScratch {
  std::unique_ptr<ModelScratch> model;
  std::string norm_a, norm_b;
  Pieces pieces;
  std::vector<Fragment> fragments;
  std::vector<Fragment> norm_fragments;
  std::vector<uint32_t> cuts;
  bool disable_safe_split = false;  // tests: encode without the SafeSplitter's cuts
};

// The token texts llama.cpp treats as end of generation (by text).
bool is_eog_text(std::string_view text);

}  // namespace hako::tokenizer
