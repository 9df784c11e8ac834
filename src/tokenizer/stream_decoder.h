// StreamDecoder: incremental detokenization for streaming output. push(id)
// returns the text that is complete so far and holds back the bytes of a
// UTF-8 character that is not finished yet — also when the character is
// spread over several byte-fallback tokens (<0xE3><0x81><0x82>) — so the
// output never contains half a character. Bytes that can never become valid
// are emitted as U+FFFD (or raw, per DecodeOptions). Not thread-safe: one
// StreamDecoder per stream; the Tokenizer must outlive it.
#pragma once

#include <cstdint>
#include <string>

#include "tokenizer/tokenizer.h"

namespace hako::tokenizer {

class StreamDecoder {
 public:
  // DecodeOptions::cleanup is ignored (clean-up needs look-ahead).
  explicit StreamDecoder(const Tokenizer& tokenizer, DecodeOptions opts = {});

  // Appends the token and returns the newly completed text (possibly empty).
  // Ids outside the vocabulary are ignored.
  std::string push(int32_t id);
  // Returns whatever is still held back (an unfinished character becomes
  // U+FFFD) and starts a new stream.
  std::string flush();
  // Forgets held-back bytes and starts a new stream.
  void reset();
  // Bytes currently held back (0..3).
  size_t pending_bytes() const { return pending_.size(); }

 private:
  const Tokenizer* tok_;
  DecodeOptions opts_;
  std::string pending_;
  bool first_ = true;
};

}  // namespace hako::tokenizer
