// BpeModel: byte-pair encoding by merge rank, as Hugging Face's BPE model and
// llama.cpp's BPE tokenizer do it: start from one symbol per byte (byte-level
// vocabularies, GPT-2 alphabet) or per character (with `<0xNN>` byte fallback
// and unknown-token handling), then repeatedly merge the adjacent pair with
// the lowest rank, leftmost first. Short words use a linear scan, long ones a
// heap; both give the same result (tested). A per-call word cache makes
// repeated words cost one hash lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/hash_index.h"
#include "tokenizer/model.h"
#include "tokenizer/vocab.h"

namespace hako::tokenizer {

struct BpeOptions {
  bool byte_level = false;     // symbols are bytes spelled in the GPT-2 alphabet
  bool byte_fallback = false;  // characters not in the vocabulary -> <0xNN> tokens
  bool ignore_merges = false;  // a word that is itself a token is emitted whole
  int32_t unk_id = -1;         // token for characters without a token (-1: drop them)
  bool fuse_unk = false;       // consecutive unknown characters give one unk token
  std::string continuing_subword_prefix;  // e.g. "##"; empty for none
  std::string end_of_word_suffix;         // e.g. "</w>"; empty for none
};

class BpeModel : public Model {
 public:
  // `merges` are (left, right) token texts in rank order (rank = index).
  // Merges whose parts or result are not in the vocabulary are skipped and
  // counted in skipped_merges(). `vocab` must outlive the model.
  BpeModel(const Vocab& vocab, const std::vector<std::pair<std::string, std::string>>& merges,
           BpeOptions options);

  std::unique_ptr<ModelScratch> make_scratch() const override;
  void encode(std::string_view word, ModelScratch& scratch, std::vector<int32_t>& out) const override;
  void encode_invalid_byte(uint8_t byte, std::vector<int32_t>& out) const override;

  size_t n_merges() const { return merges_.size(); }
  size_t skipped_merges() const { return skipped_; }
  const BpeOptions& options() const { return opt_; }

  // Merges `ids` in place (exposed for tests): kLinear and kHeap must agree.
  enum class MergeAlgo : uint8_t { kAuto, kLinear, kHeap };
  void merge(std::vector<int32_t>& ids, ModelScratch& scratch, MergeAlgo algo) const;

 private:
  void resolve_merges(const std::vector<std::pair<std::string, std::string>>& merges);
  void initial_symbols(std::string_view word, std::vector<int32_t>& ids) const;
  int32_t char_id(std::string_view ch) const;
  template <class Set>
  void initial_pairs(const std::vector<int32_t>& ids, ModelScratch& scratch, Set&& set) const;
  void merge_linear(std::vector<int32_t>& ids, ModelScratch& scratch) const;
  void merge_heap(std::vector<int32_t>& ids, ModelScratch& scratch) const;

  const Vocab& vocab_;
  BpeOptions opt_;
  PairIndex merges_;
  // Per token: bit 0 set if it is the left part of some merge, bit 1 if the
  // right part. Pairs failing this test need no lookup in the (large) table.
  std::vector<uint8_t> merge_sides_;
  bool may_merge(int32_t a, int32_t b) const {
    return (merge_sides_[size_t(a)] & 1) && (merge_sides_[size_t(b)] & 2);
  }
  PairIndex::Merge find_merge(int32_t a, int32_t b) const {
    return may_merge(a, b) ? merges_.find(a, b) : PairIndex::Merge{};
  }
  size_t skipped_ = 0;
  std::vector<int32_t> byte_ids_;      // [256] byte-level: id of each byte's symbol
  std::vector<int32_t> bmp_char_ids_;  // [0x10000] char -> id for BMP code points (no affixes)
};

}  // namespace hako::tokenizer
