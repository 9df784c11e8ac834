// WordCache: remembers the ids a model produced for recently seen words so a
// repeated word costs one hash lookup instead of a merge loop. It lives in
// per-call scratch (never shared between threads) and empties itself when it
// reaches its capacity, so its memory stays bounded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/hash_index.h"

namespace hako::tokenizer {

class WordCache {
 public:
  static constexpr size_t kMaxWordBytes = 128;
  static constexpr size_t kMaxEntries = 1 << 15;

  // If `word` is cached, appends its ids to out and returns true.
  bool lookup(std::string_view word, std::vector<int32_t>& out) const {
    if (slots_.empty() || word.size() > kMaxWordBytes) return false;
    const uint64_t h = hash_bytes(word.data(), word.size()) | 1;
    size_t i = h & mask_;
    for (;;) {
      const Slot& s = slots_[i];
      if (s.hash == 0) return false;
      if (s.hash == h && s.key_len == word.size() &&
          std::string_view(keys_).substr(s.key_off, s.key_len) == word) {
        out.insert(out.end(), ids_.begin() + s.val_off, ids_.begin() + s.val_off + s.val_len);
        return true;
      }
      i = (i + 1) & mask_;
    }
  }

  void insert(std::string_view word, const int32_t* ids, size_t n) {
    if (word.size() > kMaxWordBytes) return;
    if (count_ >= kMaxEntries) reset(kInitialSlots);
    if ((count_ + 1) * 2 > slots_.size()) grow();
    const uint64_t h = hash_bytes(word.data(), word.size()) | 1;
    size_t i = h & mask_;
    while (slots_[i].hash != 0) i = (i + 1) & mask_;
    slots_[i] = {h, uint32_t(keys_.size()), uint32_t(word.size()), uint32_t(ids_.size()), uint32_t(n)};
    keys_.append(word);
    ids_.insert(ids_.end(), ids, ids + n);
    ++count_;
  }

 private:
  struct Slot {
    uint64_t hash;
    uint32_t key_off, key_len, val_off, val_len;
  };
  static constexpr size_t kInitialSlots = 256;
  void reset(size_t n_slots) {
    slots_.assign(n_slots, Slot{0, 0, 0, 0, 0});
    mask_ = slots_.size() - 1;
    keys_.clear();
    ids_.clear();
    count_ = 0;
  }
  // Doubles the table, keeping every entry.
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? kInitialSlots : old.size() * 2, Slot{0, 0, 0, 0, 0});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.hash == 0) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].hash != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t count_ = 0;
  std::string keys_;
  std::vector<int32_t> ids_;
};

}  // namespace hako::tokenizer
