// WordPieceModel (see wordpiece_model.h).
#include "tokenizer/wordpiece_model.h"

#include <algorithm>

#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {
struct WpScratch : ModelScratch {
  std::string key;
  std::vector<int32_t> ids;
};
}  // namespace

WordPieceModel::WordPieceModel(const Vocab& vocab, WordPieceOptions options)
    : vocab_(vocab), opt_(std::move(options)) {
  for (const std::string& t : vocab_.texts) max_token_bytes_ = std::max(max_token_bytes_, t.size());
}

std::unique_ptr<ModelScratch> WordPieceModel::make_scratch() const { return std::make_unique<WpScratch>(); }

void WordPieceModel::encode(std::string_view word, ModelScratch& scratch, std::vector<int32_t>& out) const {
  auto& sc = static_cast<WpScratch&>(scratch);
  if (opt_.max_input_chars > 0) {
    size_t n_chars = 0;
    for (char c : word) n_chars += (uint8_t(c) & 0xC0) != 0x80;
    if (n_chars > opt_.max_input_chars) {
      if (opt_.unk_id >= 0) out.push_back(opt_.unk_id);
      return;
    }
  }
  sc.ids.clear();
  size_t start = 0;
  while (start < word.size()) {
    const std::string& prefix = start == 0 ? opt_.word_prefix : opt_.continuing_prefix;
    size_t end = word.size();
    if (end - start + prefix.size() > max_token_bytes_) end = start + (max_token_bytes_ - std::min(max_token_bytes_, prefix.size()));
    // Back `end` off to a character boundary.
    while (end > start && end < word.size() && (uint8_t(word[end]) & 0xC0) == 0x80) --end;
    int32_t found = -1;
    while (end > start) {
      sc.key.assign(prefix);
      sc.key.append(word.substr(start, end - start));
      found = vocab_.find(sc.key);
      if (found >= 0) break;
      --end;
      while (end > start && (uint8_t(word[end]) & 0xC0) == 0x80) --end;
    }
    if (found < 0) {
      if (opt_.unk_id >= 0) out.push_back(opt_.unk_id);
      return;
    }
    sc.ids.push_back(found);
    start = end;
  }
  out.insert(out.end(), sc.ids.begin(), sc.ids.end());
}

void WordPieceModel::encode_invalid_byte(uint8_t, std::vector<int32_t>& out) const {
  if (opt_.unk_id >= 0) out.push_back(opt_.unk_id);
}

}  // namespace hako::tokenizer
