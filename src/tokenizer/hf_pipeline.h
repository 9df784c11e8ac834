// Reading the Hugging Face tokenizer.json pipeline sections — normalizer,
// pre_tokenizer, decoder and post_processor — into this project's Normalizer,
// PreTokenizer and TokenDecoder. Each unknown or malformed component gives an
// Error naming the file, the section and the type. Internal header used by
// load_hf_json.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "tokenizer/tokenizer_impl.h"

namespace hako::tokenizer {

// Adds the steps of the "normalizer" object (null: none) to t.normalizer.
void hf_read_normalizer(const nlohmann::json& j, const std::string& file, TokenizerImpl& t);
// Adds the steps of "pre_tokenizer"; returns true if it contains ByteLevel
// (the model then works on bytes spelled in the GPT-2 alphabet).
bool hf_read_pretokenizer(const nlohmann::json& j, const std::string& file, TokenizerImpl& t);
// Computes t.decoder from the "decoder" object and the vocabulary.
void hf_read_decoder(const nlohmann::json& j, const std::string& file, TokenizerImpl& t);
// BOS/EOS and add_bos/add_eos from a TemplateProcessing / BertProcessing /
// RobertaProcessing "post_processor" (used when tokenizer_config.json is silent).
void hf_read_post_processor(const nlohmann::json& j, TokenizerImpl& t);

}  // namespace hako::tokenizer
