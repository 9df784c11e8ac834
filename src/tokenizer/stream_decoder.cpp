// StreamDecoder (see stream_decoder.h).
#include "tokenizer/stream_decoder.h"

#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

StreamDecoder::StreamDecoder(const Tokenizer& tokenizer, DecodeOptions opts)
    : tok_(&tokenizer), opts_(opts) {}

std::string StreamDecoder::push(int32_t id) {
  const TokenizerImpl& t = tok_->impl();
  if (!t.vocab.valid(id)) return {};
  if (opts_.special == SpecialTokens::kHide && t.decoder.special[size_t(id)]) return {};
  pending_.append(t.decoder.piece(id, first_));
  first_ = false;
  const size_t hold = utf8_incomplete_tail(pending_);
  std::string body = pending_.substr(0, pending_.size() - hold);
  pending_.erase(0, pending_.size() - hold);
  if (opts_.invalid == InvalidOutput::kReplace && !utf8_is_valid(body)) body = utf8_sanitize(body);
  return body;
}

std::string StreamDecoder::flush() {
  std::string out;
  out.swap(pending_);
  if (opts_.invalid == InvalidOutput::kReplace && !out.empty()) out = utf8_sanitize(out);
  first_ = true;
  return out;
}

void StreamDecoder::reset() {
  pending_.clear();
  first_ = true;
}

}  // namespace hako::tokenizer
