// AddedTokenMatcher: finds added/special tokens (<|im_start|>, <think>,
// runs of spaces ...) in text before the model runs, as Hugging Face's
// AddedVocabulary does: leftmost-longest, non-overlapping, with the
// lstrip/rstrip/single_word options. Two match sets are kept — every added
// token (parse-special mode) and only the non-special ones (plain mode) — so
// that `<|im_start|>` typed by a user is ordinary text unless asked for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hako::tokenizer {

struct AddedToken {
  int32_t id = -1;
  std::string content;
  bool special = false;      // matched only in parse-special mode
  bool lstrip = false;       // swallow whitespace on the left
  bool rstrip = false;       // swallow whitespace on the right
  bool single_word = false;  // only when not inside a word
  bool normalized = false;   // matched in the normalized text, not the raw text
};

enum class SpecialMode : uint8_t { kPlain, kParseSpecial };

// A piece of the input: either text (token < 0) or one added token.
struct Fragment {
  int32_t token = -1;
  uint32_t offset = 0;  // bytes into the text given to split()
  uint32_t length = 0;
};

class AddedTokenMatcher {
 public:
  // `normalized_stage` selects the tokens with normalized == that value.
  void build(const std::vector<AddedToken>& tokens, bool normalized_stage);
  bool empty(SpecialMode mode) const { return sets_[size_t(mode)].nodes.size() <= 1; }

  // Appends the fragments of `text` (text pieces and token matches, in order).
  // Text fragments are never empty.
  void split(std::string_view text, SpecialMode mode, std::vector<Fragment>& out) const;

 private:
  struct Node {
    int32_t token_idx = -1;  // index into tokens_ when a token ends here
    std::vector<std::pair<uint8_t, int32_t>> children;
  };
  struct Set {
    std::vector<Node> nodes;  // nodes[0] is the root
    std::vector<int32_t> root_child = std::vector<int32_t>(256, -1);
  };
  void insert(Set& set, int32_t token_idx);
  // Longest token starting at pos; returns its index into tokens_ or -1.
  int32_t longest_at(const Set& set, std::string_view text, size_t pos, size_t& len) const;

  std::vector<AddedToken> tokens_;
  Set sets_[2];
};

}  // namespace hako::tokenizer
