// Streaming reader for Hugging Face tokenizer.json files. The two big
// sections — model.vocab ({token: id}, up to 262k entries) and model.merges
// (up to 500k entries) — go straight into flat vectors through nlohmann's SAX
// interface; everything else becomes an ordinary nlohmann::json tree. This
// keeps loading a 150k-token tokenizer.json fast (a full DOM spends most of
// its time building a 150k-node std::map). Internal header.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hako::tokenizer {

struct HfJsonDoc {
  nlohmann::json root;  // the document without model.vocab / model.merges when streamed
  bool vocab_streamed = false;
  std::vector<std::pair<std::string, int64_t>> vocab;  // model.vocab entries in file order
  bool merges_streamed = false;
  std::vector<std::pair<std::string, std::string>> merges;  // model.merges in rank order
};

// Parses `text` (the file's contents). Throws Error(kFormat) naming `file`
// on malformed JSON, a vocab id that is not an integer, or a merge that is
// neither "a b" nor ["a", "b"].
HfJsonDoc parse_hf_tokenizer_json(const std::string& text, const std::string& file);

// Reads a whole file, gunzipping it if it is gzip-compressed.
std::string read_maybe_gz(const std::string& path);

}  // namespace hako::tokenizer
