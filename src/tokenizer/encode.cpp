// The encode path: added-token split -> (per text fragment) invalid-UTF-8
// handling -> normalizer -> normalized added tokens -> pre-tokenizer -> safe
// cuts -> model. See tokenizer.h for the contract.
#include <algorithm>

#include "base/error.h"
#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

void encode_pieces(const TokenizerImpl& t, std::string_view text, bool at_input_start,
                   std::vector<int32_t>& out, EncodeScratch& sc) {
  t.pretokenizer.apply(text, at_input_start, sc.pieces);
  const std::string_view buf = sc.pieces.text();
  for (const Pieces::Span& s : sc.pieces.spans()) {
    std::string_view piece = buf.substr(s.offset, s.length);
    if (!t.safe_split.enabled() || sc.disable_safe_split || piece.size() < 16) {
      t.model->encode(piece, *sc.model, out);
      continue;
    }
    sc.cuts.clear();
    t.safe_split.find_cuts(piece, sc.cuts);
    uint32_t from = 0;
    for (uint32_t cut : sc.cuts) {
      t.model->encode(piece.substr(from, cut - from), *sc.model, out);
      from = cut;
    }
    t.model->encode(piece.substr(from), *sc.model, out);
  }
}

void encode_valid(const TokenizerImpl& t, std::string_view text, bool at_input_start,
                  std::vector<int32_t>& out, EncodeScratch& sc) {
  std::string_view norm = t.normalizer.empty() ? text : t.normalizer.apply(text, sc.norm_a, sc.norm_b);
  if (norm.empty()) return;
  if (!t.has_normalized_added) {
    encode_pieces(t, norm, at_input_start, out, sc);
    return;
  }
  sc.norm_fragments.clear();
  // Normalized added tokens are matched in both modes (they are never special
  // in the vocabularies that use them); the plain set excludes special ones.
  t.normalized_matcher.split(norm, SpecialMode::kParseSpecial, sc.norm_fragments);
  for (const Fragment& f : sc.norm_fragments) {  // encode_pieces does not touch norm_fragments
    if (f.token >= 0) {
      out.push_back(f.token);
    } else {
      encode_pieces(t, norm.substr(f.offset, f.length), at_input_start && f.offset == 0, out, sc);
    }
  }
}

}  // namespace

void TokenizerImpl::encode_text(std::string_view text, bool at_input_start, InvalidUtf8 invalid,
                                std::vector<int32_t>& out, EncodeScratch& sc) const {
  if (utf8_is_valid(text)) {
    encode_valid(*this, text, at_input_start, out, sc);
    return;
  }
  if (invalid == InvalidUtf8::kReject) {
    throw Error(ErrorKind::kInvalidArgument, "text to tokenize is not valid UTF-8");
  }
  // Valid runs are encoded normally; each byte of an invalid sequence becomes
  // its byte token (byte-level and byte-fallback vocabularies) or unk.
  size_t run = 0, i = 0;
  while (i < text.size()) {
    uint32_t cp;
    const size_t len = utf8_decode(text, i, cp);
    if (cp != kInvalidCodePoint) {
      i += len;
      continue;
    }
    if (i > run) {
      // The normalization copy lives in scratch; copy the run so it stays put.
      const std::string valid(text.substr(run, i - run));
      encode_valid(*this, valid, at_input_start && run == 0, out, sc);
    }
    for (size_t k = 0; k < len; ++k) model->encode_invalid_byte(uint8_t(text[i + k]), out);
    i += len;
    run = i;
  }
  if (run < text.size()) {
    const std::string valid(text.substr(run));
    encode_valid(*this, valid, false, out, sc);
  }
}

}  // namespace hako::tokenizer
