// Tokenizer: text <-> token ids exactly as a model's own tokenizer does it,
// loaded from a GGUF file's `tokenizer.ggml.*` metadata or from a Hugging
// Face `tokenizer.json` (+ `tokenizer_config.json`). Supports SentencePiece
// (llama/gemma GGUF), BPE (byte-level GPT-2 style and SentencePiece-style
// with byte fallback) and WordPiece, with the normalizers, pre-tokenizers,
// added/special tokens and decoders listed in docs/tokenizer.md.
//
// A Tokenizer is immutable after loading: encode/decode are const and safe
// to call from several threads at once. StreamDecoder (stream_decoder.h)
// turns ids into text one at a time without splitting UTF-8 characters.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hako::gguf {
class GgufFile;
}

namespace hako::tokenizer {

struct TokenizerImpl;

// Whether encode() adds BOS/EOS (as the model's metadata says).
enum class AddSpecial : uint8_t { kNo, kYes };
// Whether special tokens written in the text (`<|im_start|>`) become their
// ids (kYes) or are tokenized as plain text (kNo). Non-special added tokens
// (`<think>` in Qwen3, user-defined GGUF tokens) are matched in both modes.
enum class ParseSpecial : uint8_t { kNo, kYes };
// Input that is not valid UTF-8: encode the offending bytes as byte tokens
// (or the unknown token), or throw Error(kInvalidArgument).
enum class InvalidUtf8 : uint8_t { kByteFallback, kReject };

struct EncodeOptions {
  AddSpecial add_special = AddSpecial::kNo;
  ParseSpecial parse_special = ParseSpecial::kNo;
  InvalidUtf8 invalid_utf8 = InvalidUtf8::kByteFallback;
};

// Special (control) tokens in decode: shown as their text, or left out.
enum class SpecialTokens : uint8_t { kShow, kHide };
// Bytes that do not form valid UTF-8 in decode output: replaced by U+FFFD
// (maximal-subpart rule, like Rust's from_utf8_lossy), or returned raw.
enum class InvalidOutput : uint8_t { kReplace, kRaw };
// Hugging Face's clean_up_tokenization_spaces: the model's default, on, or off.
enum class CleanUp : uint8_t { kModelDefault, kOn, kOff };

struct DecodeOptions {
  SpecialTokens special = SpecialTokens::kShow;
  InvalidOutput invalid = InvalidOutput::kReplace;
  CleanUp cleanup = CleanUp::kOff;
};

enum class VocabType : uint8_t { kSpm, kBpe, kWordPiece };
std::string_view to_string(VocabType type);

class Tokenizer {
 public:
  // From GGUF metadata (tokenizer.ggml.model = llama | gpt2 | gemma4 | bert).
  // Throws Error(kFormat / kUnsupported) naming the key and the problem.
  static Tokenizer from_gguf(const gguf::GgufFile& file);
  // Opens the GGUF file at `path` and calls from_gguf.
  static Tokenizer from_gguf_path(const std::string& path);
  // From a tokenizer.json (or .json.gz), or a directory holding one; a
  // tokenizer_config.json beside it supplies BOS/EOS and add_bos/add_eos.
  static Tokenizer from_hf_json(const std::string& path_or_dir);
  // Dispatches on the path: *.gguf -> from_gguf, otherwise from_hf_json.
  static Tokenizer load(const std::string& path);

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Token ids of UTF-8 `text`. Allocates only the result and scratch.
  std::vector<int32_t> encode(std::string_view text, const EncodeOptions& opts = {}) const;
  // Text of `ids`; ids outside [0, n_vocab) are skipped.
  std::string decode(std::span<const int32_t> ids, const DecodeOptions& opts = {}) const;

  int32_t n_vocab() const;
  VocabType type() const;
  // The token as stored in the vocabulary ("Ġhello", "▁the", "<0x0A>").
  // Empty view for ids out of range.
  std::string_view token_text(int32_t id) const;
  // The bytes the token decodes to on its own (no first-token rule).
  std::string_view token_piece(int32_t id) const;
  // Id of the token whose text is exactly `text`, or -1.
  int32_t find_token(std::string_view text) const;

  int32_t bos() const;  // -1 when the model has none
  int32_t eos() const;
  int32_t eot() const;
  int32_t unk() const;
  int32_t pad() const;
  bool add_bos() const;  // what AddSpecial::kYes adds
  bool add_eos() const;
  // Control tokens (hidden by SpecialTokens::kHide).
  bool is_special(int32_t id) const;
  // End of generation: eos, eot, eom and the end tokens llama.cpp recognises
  // by text (<|im_end|>, <|eot_id|>, <end_of_turn>, <|return|>, <|end|> ...).
  bool is_eog(int32_t id) const;
  const std::vector<int32_t>& eog_ids() const;

  const TokenizerImpl& impl() const { return *impl_; }

 private:
  explicit Tokenizer(std::unique_ptr<TokenizerImpl> impl);
  std::unique_ptr<TokenizerImpl> impl_;
};

}  // namespace hako::tokenizer
