// Shared fixtures for tokenizer tests: tokenizers loaded once per process
// from ../shared/testdata (GGUF vocab files and tokenizer.json folders).
#pragma once

#include <string>

#include "tokenizer/tokenizer.h"

namespace hako::test {

// vocab/ggml-vocab-<name>.gguf
const tokenizer::Tokenizer& gguf_vocab(const std::string& name);
// tokenizers/<name>/ (tokenizer.json.gz + tokenizer_config.json)
const tokenizer::Tokenizer& hf_tokenizer(const std::string& name);

}  // namespace hako::test
