// StringIndex / PairIndex construction (see hash_index.h). Load factor is
// kept at or below 1/2 so that probe sequences stay short.
#include "tokenizer/hash_index.h"

namespace hako::tokenizer {

namespace {
size_t pow2_at_least(size_t n) {
  size_t c = 16;
  while (c < n) c <<= 1;
  return c;
}
}  // namespace

void StringIndex::rehash(const std::vector<std::string>& texts, size_t capacity) {
  std::vector<int32_t> old;
  old.swap(slots_);
  slots_.assign(capacity, -1);
  mask_ = capacity - 1;
  count_ = 0;
  for (int32_t id : old) {
    if (id >= 0) insert(texts, id);
  }
}

void StringIndex::build(const std::vector<std::string>& texts) {
  slots_.assign(pow2_at_least(texts.size() * 2 + 1), -1);
  mask_ = slots_.size() - 1;
  count_ = 0;
  for (size_t id = 0; id < texts.size(); ++id) insert(texts, int32_t(id));
}

void StringIndex::insert(const std::vector<std::string>& texts, int32_t id) {
  if (slots_.empty() || (count_ + 1) * 2 > slots_.size()) {
    rehash(texts, pow2_at_least((count_ + 1) * 2 + 1));
  }
  const std::string& key = texts[size_t(id)];
  size_t i = hash_bytes(key.data(), key.size()) & mask_;
  for (;;) {
    int32_t cur = slots_[i];
    if (cur < 0) {
      slots_[i] = id;
      ++count_;
      return;
    }
    if (texts[size_t(cur)] == key) {
      slots_[i] = id;
      return;
    }
    i = (i + 1) & mask_;
  }
}

void PairIndex::reserve(size_t n) {
  const size_t cap = pow2_at_least(n * 2 + 1);
  if (cap <= slots_.size()) return;
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
  count_ = 0;
  for (const Slot& s : old) {
    if (s.key != kEmpty) insert(int32_t(s.key >> 32), int32_t(uint32_t(s.key)), s.merge);
  }
}

void PairIndex::grow() { reserve(slots_.empty() ? 16 : slots_.size()); }

void PairIndex::insert(int32_t left, int32_t right, Merge m) {
  if (slots_.empty() || (count_ + 1) * 2 > slots_.size()) grow();
  const uint64_t key = pack(left, right);
  size_t i = hash_u64(key) & mask_;
  for (;;) {
    Slot& s = slots_[i];
    if (s.key == key) return;
    if (s.key == kEmpty) {
      s.key = key;
      s.merge = m;
      ++count_;
      return;
    }
    i = (i + 1) & mask_;
  }
}

}  // namespace hako::tokenizer
