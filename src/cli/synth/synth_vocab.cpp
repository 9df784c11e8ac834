// Builds the synthetic BPE vocabulary (see synth_vocab.h).
#include "cli/synth/synth_vocab.h"

#include <cstdio>

#include "base/error.h"

namespace hako::synth {
namespace {

constexpr uint32_t kByteTokens = 256;
constexpr int32_t kNormal = 1;
constexpr int32_t kControl = 3;

std::string utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else {  // all byte-level code points are < 0x800
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// GPT-2's bytes_to_unicode: printable bytes map to themselves, the others to
// 256 + n in byte order; vocab ids follow the printable-first order.
std::vector<std::string> byte_tokens() {
  std::vector<std::string> out;
  std::vector<bool> printable(256, false);
  for (uint32_t b = 0; b < 256; ++b) {
    printable[b] = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
    if (printable[b]) out.push_back(utf8(b));
  }
  uint32_t n = 0;
  for (uint32_t b = 0; b < 256; ++b) {
    if (!printable[b]) out.push_back(utf8(256 + n++));
  }
  return out;
}

}  // namespace

SynthVocab build_bpe_vocab(uint32_t n_vocab, const VocabStyle& style) {
  if (style.special_begin < kByteTokens || style.special_begin > n_vocab) {
    throw Error(ErrorKind::kInvalidArgument,
                "synth vocabulary: special range starts at " + std::to_string(style.special_begin) +
                    ", needs 256.." + std::to_string(n_vocab));
  }
  SynthVocab v;
  v.tokens = byte_tokens();
  v.tokens.reserve(n_vocab);
  v.token_types.assign(kByteTokens, kNormal);
  // Merges "Ġ x" (space + letter) then "x y" letter pairs, while room remains.
  const std::string space = utf8(256 + 32);  // "Ġ"
  std::vector<std::pair<std::string, std::string>> pairs;
  for (char c = 'a'; c <= 'z'; ++c) pairs.emplace_back(space, std::string(1, c));
  for (char a = 'a'; a <= 'z'; ++a) {
    for (char b = 'a'; b <= 'z'; ++b) pairs.emplace_back(std::string(1, a), std::string(1, b));
  }
  for (const auto& [a, b] : pairs) {
    if (v.tokens.size() >= style.special_begin) break;
    v.merges.push_back(a + " " + b);
    v.tokens.push_back(a + b);
    v.token_types.push_back(kNormal);
  }
  while (v.tokens.size() < style.special_begin) {
    v.tokens.push_back("<t" + std::to_string(v.tokens.size()) + ">");
    v.token_types.push_back(kNormal);
  }
  const size_t first_special = v.tokens.size();
  char buf[96];
  for (uint32_t id = style.special_begin; id < n_vocab; ++id) {
    std::snprintf(buf, sizeof buf, std::string(style.filler_format).c_str(), id);
    v.tokens.emplace_back(buf);
    v.token_types.push_back(static_cast<int32_t>(style.filler_token_type));
  }
  for (const SpecialToken& s : style.specials) {
    if (s.id < style.special_begin || s.id >= n_vocab) {
      throw Error(ErrorKind::kInvalidArgument, "synth vocabulary: special token '" +
                                                   std::string(s.text) + "' id " + std::to_string(s.id) +
                                                   " is outside " + std::to_string(style.special_begin) +
                                                   ".." + std::to_string(n_vocab - 1));
    }
    v.tokens[first_special + (s.id - style.special_begin)] = std::string(s.text);
    v.token_types[first_special + (s.id - style.special_begin)] = kControl;
  }
  return v;
}

void write_vocab_metadata(gguf::GgufWriter& w, const SynthVocab& v, const VocabStyle& style) {
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_string("tokenizer.ggml.pre", style.pre);
  w.set_string_array("tokenizer.ggml.tokens", v.tokens);
  w.set_i32_array("tokenizer.ggml.token_type", v.token_types);
  w.set_string_array("tokenizer.ggml.merges", v.merges);
  w.set_u32("tokenizer.ggml.bos_token_id", style.bos_id);
  w.set_u32("tokenizer.ggml.eos_token_id", style.eos_id);
  w.set_u32("tokenizer.ggml.eot_token_id", style.eot_id);
  w.set_u32("tokenizer.ggml.padding_token_id", style.pad_id);
  w.set_bool("tokenizer.ggml.add_bos_token", style.add_bos);
  w.set_bool("tokenizer.ggml.add_eos_token", false);
}

}  // namespace hako::synth
