// The pre-tokenizer behind each GGUF `tokenizer.ggml.pre` name: the list of
// split regexes (each applied to the pieces of the previous one, matches and
// gaps both kept — Hugging Face's Split with "Isolated") and the few flags
// that llama.cpp attaches to the name (ignore_merges, add_bos). Regexes are
// the originals from the models' tokenizer.json where known.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hako::tokenizer {

struct PreTypeSpec {
  std::vector<std::string> regexes;
  bool ignore_merges = false;
  std::optional<bool> add_bos;  // overrides the default when set
  bool nfc = false;             // the model's tokenizer.json normalizes to NFC (Qwen, GPT-NeoX)
};

// Fills `out` for a known name and returns true; false if the name is unknown.
bool pre_type_spec(std::string_view name, PreTypeSpec& out);

// Every name pre_type_spec knows (for docs and tests).
std::vector<std::string_view> known_pre_types();

// The GPT-2 split regex (Hugging Face ByteLevel with use_regex = true).
extern const char* const kGpt2Regex;

}  // namespace hako::tokenizer
