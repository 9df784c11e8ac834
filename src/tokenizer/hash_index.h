// Open-addressing hash tables for the tokenizer's hot lookups: token text ->
// id (StringIndex, keys live in the vocabulary's own strings) and an id pair
// -> (merge rank, merged id) (PairIndex). Both are built once at load and are
// read-only afterwards, so lookups are lock-free and allocation-free.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hako::tokenizer {

inline uint64_t hash_bytes(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t(n) * 0xFF51AFD7ED558CCDULL);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94D049BB133111EBULL;
    h ^= h >> 31;
  }
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 32);
}

inline uint64_t hash_u64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  return x ^ (x >> 33);
}

// Maps strings to int32 ids. The strings are owned by the caller (a vector
// indexed by id) and passed to every call; the table stores ids only.
class StringIndex {
 public:
  // Rebuilds the table for texts[0..n). Later duplicates win (as llama.cpp).
  void build(const std::vector<std::string>& texts);
  // Inserts or overwrites key texts[id] -> id (the table grows as needed).
  void insert(const std::vector<std::string>& texts, int32_t id);
  // The id whose text equals key, or -1.
  int32_t find(const std::vector<std::string>& texts, std::string_view key) const {
    return find_hashed(texts, key, hash_bytes(key.data(), key.size()));
  }
  // Bulk lookups (loading): hash first, prefetch the slot, look up later.
  void prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }
  int32_t find_hashed(const std::vector<std::string>& texts, std::string_view key, uint64_t hash) const {
    if (slots_.empty()) return -1;
    size_t i = hash & mask_;
    for (;;) {
      int32_t id = slots_[i];
      if (id < 0) return -1;
      const std::string& t = texts[size_t(id)];
      if (t.size() == key.size() && std::memcmp(t.data(), key.data(), key.size()) == 0) return id;
      i = (i + 1) & mask_;
    }
  }

 private:
  void rehash(const std::vector<std::string>& texts, size_t capacity);
  std::vector<int32_t> slots_;
  size_t mask_ = 0;
  size_t count_ = 0;
};

// Maps (left id, right id) to (rank, merged id) for BPE merges.
class PairIndex {
 public:
  struct Merge {
    int32_t rank = -1;
    int32_t id = -1;
  };
  void reserve(size_t n);
  // Keeps the first (lowest-rank) entry if the pair is inserted twice.
  void insert(int32_t left, int32_t right, Merge m);
  // Starts loading the slot of (left, right) into the cache (bulk lookups).
  void prefetch(int32_t left, int32_t right) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash_u64(pack(left, right)) & mask_]);
  }
  Merge find(int32_t left, int32_t right) const {
    if (slots_.empty()) return {};
    const uint64_t key = pack(left, right);
    size_t i = hash_u64(key) & mask_;
    for (;;) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.merge;
      if (s.key == kEmpty) return {};
      i = (i + 1) & mask_;
    }
  }
  size_t size() const { return count_; }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t(0);
  // Key and value side by side: one cache line visit per probe.
  struct Slot {
    uint64_t key = kEmpty;
    Merge merge;
  };
  static uint64_t pack(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }
  void grow();
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t count_ = 0;
};

}  // namespace hako::tokenizer
