// BpeModel (see bpe_model.h).
#include "tokenizer/bpe_model.h"

#include <algorithm>
#include <array>
#include <climits>

#include "tokenizer/byte_level.h"
#include "tokenizer/utf8.h"
#include "tokenizer/word_cache.h"

namespace hako::tokenizer {

namespace {

// Words with at most this many initial symbols use the linear scan.
constexpr size_t kLinearMaxSymbols = 48;

struct Sym {
  int32_t id;
  int32_t prev;
  int32_t next;
};

struct Cand {
  int32_t rank;
  int32_t pos;
  int32_t left_id;
  int32_t right_id;
  int32_t new_id;
};

// Min-heap order: lowest rank first, then leftmost position.
struct CandAfter {
  bool operator()(const Cand& a, const Cand& b) const {
    return a.rank > b.rank || (a.rank == b.rank && a.pos > b.pos);
  }
};

// A direct-mapped cache of merge-table lookups: text reuses the same few
// thousand pairs, and the merge table (up to 16 MiB) misses the CPU cache.
class PairCache {
 public:
  static constexpr size_t kBits = 14;
  static constexpr size_t kSize = size_t(1) << kBits;  // 256 KiB: stays in L2
  bool try_get(int32_t a, int32_t b, PairIndex::Merge& m) {
    if (keys_.empty()) {
      keys_.assign(kSize, ~uint64_t(0));
      vals_.resize(kSize);
    }
    const uint64_t key = pack(a, b);
    const size_t i = slot(key);
    if (keys_[i] != key) return false;
    m = vals_[i];
    return true;
  }
  void put(int32_t a, int32_t b, PairIndex::Merge m) {
    const uint64_t key = pack(a, b);
    const size_t i = slot(key);
    keys_[i] = key;
    vals_[i] = m;
  }

 private:
  static uint64_t pack(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }
  static size_t slot(uint64_t key) { return size_t((key * 0x9E3779B97F4A7C15ULL) >> (64 - kBits)); }
  std::vector<uint64_t> keys_;
  std::vector<PairIndex::Merge> vals_;
};

struct BpeScratch : ModelScratch {
  PairCache pairs;
  std::vector<int32_t> pending;
  std::vector<int32_t> ids;
  std::vector<int32_t> ranks;
  std::vector<int32_t> new_ids;
  std::vector<Sym> syms;
  std::vector<Cand> heap;
  std::string spelled;
  WordCache cache;
};

}  // namespace

BpeModel::BpeModel(const Vocab& vocab, const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options)
    : vocab_(vocab), opt_(std::move(options)) {
  merges_.reserve(merges.size());
  merge_sides_.assign(size_t(vocab_.size()), 0);
  resolve_merges(merges);
  if (opt_.byte_level) {
    byte_ids_.resize(256);
    for (int b = 0; b < 256; ++b) byte_ids_[size_t(b)] = vocab_.find(utf8_encode(byte_level_char(uint8_t(b))));
  } else if (opt_.continuing_subword_prefix.empty() && opt_.end_of_word_suffix.empty()) {
    bmp_char_ids_.assign(0x10000, -1);
    for (int32_t id = 0; id < vocab_.size(); ++id) {
      const std::string& t = vocab_.texts[size_t(id)];
      if (t.empty() || t.size() > 3) continue;
      uint32_t cp;
      size_t len = utf8_decode(t, 0, cp);
      if (len == t.size() && cp != kInvalidCodePoint && cp < 0x10000) {
        // The index decides between duplicates; stay consistent with it.
        bmp_char_ids_[cp] = vocab_.find(t);
      }
    }
  }
}

// Looks up (left, right, left+right) of every merge. The lookups miss the
// cache almost always, so they run in batches: hash and prefetch a batch,
// then resolve it.
void BpeModel::resolve_merges(const std::vector<std::pair<std::string, std::string>>& merges) {
  constexpr size_t kBatch = 32;
  const std::string& pre = opt_.continuing_subword_prefix;
  std::array<std::string, kBatch> joined;
  std::array<uint64_t, kBatch * 3> hashes{};
  for (size_t base = 0; base < merges.size(); base += kBatch) {
    const size_t n = std::min(kBatch, merges.size() - base);
    for (size_t k = 0; k < n; ++k) {
      const auto& [l, r] = merges[base + k];
      // With a continuing-subword prefix the merged token drops the right part's prefix.
      joined[k] = l;
      if (!pre.empty() && r.compare(0, pre.size(), pre) == 0) {
        joined[k].append(r, pre.size(), std::string::npos);
      } else {
        joined[k] += r;
      }
      hashes[3 * k] = hash_bytes(l.data(), l.size());
      hashes[3 * k + 1] = hash_bytes(r.data(), r.size());
      hashes[3 * k + 2] = hash_bytes(joined[k].data(), joined[k].size());
      for (int h = 0; h < 3; ++h) vocab_.index.prefetch(hashes[3 * k + size_t(h)]);
    }
    for (size_t k = 0; k < n; ++k) {
      const auto& [l, r] = merges[base + k];
      const int32_t li = vocab_.index.find_hashed(vocab_.texts, l, hashes[3 * k]);
      const int32_t ri = vocab_.index.find_hashed(vocab_.texts, r, hashes[3 * k + 1]);
      const int32_t mi = vocab_.index.find_hashed(vocab_.texts, joined[k], hashes[3 * k + 2]);
      if (li < 0 || ri < 0 || mi < 0) {
        ++skipped_;
        continue;
      }
      merges_.insert(li, ri, {int32_t(base + k), mi});
      merge_sides_[size_t(li)] |= 1;
      merge_sides_[size_t(ri)] |= 2;
    }
  }
}

std::unique_ptr<ModelScratch> BpeModel::make_scratch() const { return std::make_unique<BpeScratch>(); }

int32_t BpeModel::char_id(std::string_view ch) const {
  if (!bmp_char_ids_.empty() && ch.size() <= 3) {
    uint32_t cp;
    utf8_decode(ch, 0, cp);
    return bmp_char_ids_[cp];
  }
  return vocab_.find(ch);
}

void BpeModel::initial_symbols(std::string_view word, std::vector<int32_t>& ids) const {
  ids.clear();
  if (opt_.byte_level) {
    for (char c : word) {
      int32_t id = byte_ids_[uint8_t(c)];
      if (id >= 0) {
        ids.push_back(id);
      } else if (opt_.unk_id >= 0) {
        ids.push_back(opt_.unk_id);
      }
    }
    return;
  }
  const bool affixes = !opt_.continuing_subword_prefix.empty() || !opt_.end_of_word_suffix.empty();
  std::string tmp;
  int32_t pending_unk_bytes = 0;
  size_t i = 0;
  while (i < word.size()) {
    uint32_t cp;
    size_t len = utf8_decode(word, i, cp);
    std::string_view ch = word.substr(i, len);
    int32_t id;
    if (affixes) {
      tmp.clear();
      if (i > 0) tmp += opt_.continuing_subword_prefix;
      tmp.append(ch);
      if (i + len == word.size()) tmp += opt_.end_of_word_suffix;
      id = vocab_.find(tmp);
    } else {
      id = char_id(ch);
    }
    i += len;
    if (id >= 0) {
      if (pending_unk_bytes) ids.push_back(opt_.unk_id);
      pending_unk_bytes = 0;
      ids.push_back(id);
      continue;
    }
    if (opt_.byte_fallback) {
      bool all = true;
      for (char c : ch) all = all && vocab_.byte_tokens[uint8_t(c)] >= 0;
      if (all) {
        if (pending_unk_bytes) ids.push_back(opt_.unk_id);
        pending_unk_bytes = 0;
        for (char c : ch) ids.push_back(vocab_.byte_tokens[uint8_t(c)]);
        continue;
      }
    }
    if (opt_.unk_id >= 0) {
      if (pending_unk_bytes && !opt_.fuse_unk) ids.push_back(opt_.unk_id);
      pending_unk_bytes += int32_t(len);
    }
  }
  if (pending_unk_bytes) ids.push_back(opt_.unk_id);
}

// Looks up the merge of every adjacent pair of `ids` and calls set(i, merge)
// for pair (i, i+1). Lookups that miss the pair cache are prefetched first
// and resolved in a second pass, so their cache misses overlap.
template <class Set>
void BpeModel::initial_pairs(const std::vector<int32_t>& ids, ModelScratch& scratch, Set&& set) const {
  auto& sc = static_cast<BpeScratch&>(scratch);
  auto& pending = sc.pending;
  pending.clear();
  for (size_t i = 0; i + 1 < ids.size(); ++i) {
    PairIndex::Merge m;
    if (sc.pairs.try_get(ids[i], ids[i + 1], m)) {
      set(i, m);
    } else if (!may_merge(ids[i], ids[i + 1])) {
      set(i, PairIndex::Merge{});
    } else {
      merges_.prefetch(ids[i], ids[i + 1]);
      pending.push_back(int32_t(i));
    }
  }
  for (int32_t pi : pending) {
    const auto i = size_t(pi);
    const PairIndex::Merge m = merges_.find(ids[i], ids[i + 1]);
    sc.pairs.put(ids[i], ids[i + 1], m);
    set(i, m);
  }
}

void BpeModel::merge_linear(std::vector<int32_t>& ids, ModelScratch& scratch) const {
  auto& sc = static_cast<BpeScratch&>(scratch);
  auto& ranks = sc.ranks;
  auto& new_ids = sc.new_ids;
  size_t n = ids.size();
  ranks.resize(n);
  new_ids.resize(n);
  auto set_pair = [&](size_t i, PairIndex::Merge m) {
    ranks[i] = m.rank < 0 ? INT_MAX : m.rank;
    new_ids[i] = m.id;
  };
  auto pair_at = [&](size_t i) {
    PairIndex::Merge m;
    if (!sc.pairs.try_get(ids[i], ids[i + 1], m)) {
      m = find_merge(ids[i], ids[i + 1]);
      sc.pairs.put(ids[i], ids[i + 1], m);
    }
    set_pair(i, m);
  };
  initial_pairs(ids, scratch, set_pair);
  while (n > 1) {
    size_t best = 0;
    int32_t best_rank = ranks[0];
    for (size_t i = 1; i + 1 < n; ++i) {
      if (ranks[i] < best_rank) {
        best_rank = ranks[i];
        best = i;
      }
    }
    if (best_rank == INT_MAX) break;
    ids[best] = new_ids[best];
    ids.erase(ids.begin() + std::ptrdiff_t(best) + 1);
    ranks.erase(ranks.begin() + std::ptrdiff_t(best) + 1);
    new_ids.erase(new_ids.begin() + std::ptrdiff_t(best) + 1);
    --n;
    // Both new pairs usually miss the caches: start both loads, then read.
    const bool right = best + 1 < n, left = best > 0;
    if (right && may_merge(ids[best], ids[best + 1])) merges_.prefetch(ids[best], ids[best + 1]);
    if (left && may_merge(ids[best - 1], ids[best])) merges_.prefetch(ids[best - 1], ids[best]);
    if (right) pair_at(best);
    if (left) pair_at(best - 1);
  }
}

void BpeModel::merge_heap(std::vector<int32_t>& ids, ModelScratch& scratch) const {
  auto& sc = static_cast<BpeScratch&>(scratch);
  auto& syms = sc.syms;
  auto& heap = sc.heap;
  const auto n = int32_t(ids.size());
  syms.resize(size_t(n));
  heap.clear();
  for (int32_t i = 0; i < n; ++i) syms[size_t(i)] = {ids[size_t(i)], i - 1, i + 1 < n ? i + 1 : -1};
  auto push = [&](int32_t left) {
    if (left < 0) return;
    const int32_t right = syms[size_t(left)].next;
    if (right < 0) return;
    const int32_t a = syms[size_t(left)].id, b = syms[size_t(right)].id;
    PairIndex::Merge m;
    if (!sc.pairs.try_get(a, b, m)) {
      m = find_merge(a, b);
      sc.pairs.put(a, b, m);
    }
    if (m.rank < 0) return;
    heap.push_back({m.rank, left, a, b, m.id});
    std::push_heap(heap.begin(), heap.end(), CandAfter{});
  };
  initial_pairs(ids, scratch, [&](size_t i, PairIndex::Merge m) {
    if (m.rank >= 0) heap.push_back({m.rank, int32_t(i), ids[i], ids[i + 1], m.id});
  });
  std::make_heap(heap.begin(), heap.end(), CandAfter{});
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), CandAfter{});
    const Cand c = heap.back();
    heap.pop_back();
    Sym& left = syms[size_t(c.pos)];
    if (left.id != c.left_id || left.next < 0) continue;
    Sym& right = syms[size_t(left.next)];
    if (right.id != c.right_id) continue;
    left.id = c.new_id;
    right.id = -1;  // dead
    left.next = right.next;
    if (right.next >= 0) syms[size_t(right.next)].prev = c.pos;
    push(left.prev);
    push(c.pos);
  }
  ids.clear();
  for (int32_t i = 0; i >= 0; i = syms[size_t(i)].next) ids.push_back(syms[size_t(i)].id);
}

void BpeModel::merge(std::vector<int32_t>& ids, ModelScratch& scratch, MergeAlgo algo) const {
  if (ids.size() < 2) return;
  if (algo == MergeAlgo::kAuto) algo = ids.size() <= kLinearMaxSymbols ? MergeAlgo::kLinear : MergeAlgo::kHeap;
  if (algo == MergeAlgo::kLinear) {
    merge_linear(ids, scratch);
  } else {
    merge_heap(ids, scratch);
  }
}

void BpeModel::encode(std::string_view word, ModelScratch& scratch, std::vector<int32_t>& out) const {
  auto& sc = static_cast<BpeScratch&>(scratch);
  if (sc.cache.lookup(word, out)) return;
  if (opt_.ignore_merges) {
    int32_t id;
    if (opt_.byte_level) {
      sc.spelled.clear();
      byte_level_encode(word, sc.spelled);
      id = vocab_.find(sc.spelled);
    } else {
      id = vocab_.find(word);
    }
    if (id >= 0) {
      out.push_back(id);
      sc.cache.insert(word, &id, 1);
      return;
    }
  }
  initial_symbols(word, sc.ids);
  merge(sc.ids, scratch, MergeAlgo::kAuto);
  out.insert(out.end(), sc.ids.begin(), sc.ids.end());
  sc.cache.insert(word, sc.ids.data(), sc.ids.size());
}

void BpeModel::encode_invalid_byte(uint8_t byte, std::vector<int32_t>& out) const {
  int32_t id = -1;
  if (opt_.byte_level) {
    id = byte_ids_[byte];
  } else if (opt_.byte_fallback) {
    id = vocab_.byte_tokens[byte];
  }
  if (id < 0) id = opt_.unk_id;
  if (id >= 0) out.push_back(id);
}

}  // namespace hako::tokenizer
