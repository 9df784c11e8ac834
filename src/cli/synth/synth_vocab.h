// A synthetic byte-level BPE ("gpt2") vocabulary of a real model's size for
// `hako synth`: the 256 byte tokens in GPT-2's byte-to-unicode order, a small
// set of valid merges with their merged tokens, unique filler tokens
// ("<t123>"), then the model's special tokens at their real ids. llama.cpp
// loads it (unique tokens, merges present, a newline byte token). It is not
// a real tokenizer: text tokenizes mostly to single bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/synth/synth_shapes.h"
#include "gguf/gguf_writer.h"

namespace hako::synth {

struct SynthVocab {
  std::vector<std::string> tokens;   // n_vocab unique strings
  std::vector<int32_t> token_types;  // 1 normal, 3 control, 5 unused (llama.cpp token types)
  std::vector<std::string> merges;   // "a b" pairs, rank order
};

// Throws Error(kInvalidArgument) if n_vocab cannot hold the byte tokens and
// the style's special range.
SynthVocab build_bpe_vocab(uint32_t n_vocab, const VocabStyle& style);

// Writes the tokenizer.ggml.* keys (model "gpt2", pre, tokens, token_type,
// merges, bos/eos/eot/padding ids, add_bos/add_eos).
void write_vocab_metadata(gguf::GgufWriter& w, const SynthVocab& v, const VocabStyle& style);

}  // namespace hako::synth
