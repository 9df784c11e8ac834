// SpmModel (see spm_model.h). Symbols are byte ranges of the word; a bigram
// is valid while both of its symbols still have the lengths it was made from.
#include "tokenizer/spm_model.h"

#include <algorithm>

#include "tokenizer/utf8.h"
#include "tokenizer/word_cache.h"

namespace hako::tokenizer {

namespace {

struct Sym {
  uint32_t off;
  uint32_t len;  // 0: merged away
  int32_t prev;
  int32_t next;
};

struct Bigram {
  float score;
  int32_t left;
  int32_t right;
  uint32_t size;
};

// Max-heap order: highest score first, then leftmost.
struct BigramBefore {
  bool operator()(const Bigram& a, const Bigram& b) const {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  }
};

struct SpmScratch : ModelScratch {
  std::vector<Sym> syms;
  std::vector<Bigram> heap;
  std::vector<int32_t> ids;
  WordCache cache;
};

}  // namespace

SpmModel::SpmModel(const Vocab& vocab, int32_t unk_id) : vocab_(vocab), unk_id_(unk_id) {}

std::unique_ptr<ModelScratch> SpmModel::make_scratch() const { return std::make_unique<SpmScratch>(); }

void SpmModel::emit(std::string_view piece, std::vector<int32_t>& out) const {
  int32_t id = vocab_.find(piece);
  if (id >= 0) {
    out.push_back(id);
    return;
  }
  for (char c : piece) encode_invalid_byte(uint8_t(c), out);
}

void SpmModel::encode_invalid_byte(uint8_t byte, std::vector<int32_t>& out) const {
  int32_t id = vocab_.byte_tokens[byte];
  if (id < 0) {
    const char c = char(byte);
    id = vocab_.find(std::string_view(&c, 1));
  }
  if (id < 0) id = unk_id_;
  if (id >= 0) out.push_back(id);
}

void SpmModel::encode(std::string_view word, ModelScratch& scratch, std::vector<int32_t>& out) const {
  auto& sc = static_cast<SpmScratch&>(scratch);
  if (sc.cache.lookup(word, out)) return;
  auto& syms = sc.syms;
  auto& heap = sc.heap;
  syms.clear();
  heap.clear();
  for (size_t off = 0; off < word.size();) {
    size_t len = std::min(utf8_seq_len(uint8_t(word[off])), word.size() - off);
    const auto idx = int32_t(syms.size());
    syms.push_back({uint32_t(off), uint32_t(len), idx - 1, off + len < word.size() ? idx + 1 : -1});
    off += len;
  }
  const bool has_scores = !vocab_.scores.empty();
  auto try_add = [&](int32_t l, int32_t r) {
    if (l < 0 || r < 0) return;
    const Sym& a = syms[size_t(l)];
    const Sym& b = syms[size_t(r)];
    std::string_view text = word.substr(a.off, a.len + b.len);
    int32_t id = vocab_.find(text);
    if (id < 0) return;
    heap.push_back({has_scores ? vocab_.scores[size_t(id)] : 0.0f, l, r, a.len + b.len});
    std::push_heap(heap.begin(), heap.end(), BigramBefore{});
  };
  for (int32_t i = 1; i < int32_t(syms.size()); ++i) try_add(i - 1, i);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), BigramBefore{});
    const Bigram bg = heap.back();
    heap.pop_back();
    Sym& l = syms[size_t(bg.left)];
    Sym& r = syms[size_t(bg.right)];
    if (l.len == 0 || r.len == 0 || l.len + r.len != bg.size) continue;
    l.len += r.len;
    r.len = 0;
    l.next = r.next;
    if (r.next >= 0) syms[size_t(r.next)].prev = bg.left;
    try_add(l.prev, bg.left);
    try_add(bg.left, l.next);
  }
  auto& ids = sc.ids;
  ids.clear();
  for (int32_t i = syms.empty() ? -1 : 0; i >= 0; i = syms[size_t(i)].next) {
    emit(word.substr(syms[size_t(i)].off, syms[size_t(i)].len), ids);
  }
  out.insert(out.end(), ids.begin(), ids.end());
  sc.cache.insert(word, ids.data(), ids.size());
}

}  // namespace hako::tokenizer
