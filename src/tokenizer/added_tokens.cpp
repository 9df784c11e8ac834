// AddedTokenMatcher (see added_tokens.h): a byte trie with a direct root
// table; a scan tries each position whose first byte can start a token.
#include "tokenizer/added_tokens.h"

#include "tokenizer/unicode.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

// Decodes the code point that ends at `end` (exclusive), or kInvalidCodePoint.
uint32_t cp_before(std::string_view s, size_t end) {
  size_t b = end;
  while (b > 0 && (uint8_t(s[b - 1]) & 0xC0) == 0x80 && end - b < 3) --b;
  if (b == 0) return kInvalidCodePoint;
  --b;
  uint32_t cp;
  size_t len = utf8_decode(s, b, cp);
  return b + len == end ? cp : kInvalidCodePoint;
}

bool is_word_char(uint32_t cp) {
  return cp == '_' || unicode_is_letter(cp) || unicode_is_number(cp) ||
         unicode_is_mark_nonspacing(cp);
}

}  // namespace

void AddedTokenMatcher::insert(Set& set, int32_t token_idx) {
  const std::string& s = tokens_[size_t(token_idx)].content;
  if (s.empty()) return;
  if (set.nodes.empty()) set.nodes.emplace_back();
  int32_t node = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = uint8_t(s[i]);
    int32_t next = -1;
    if (node == 0) {
      next = set.root_child[c];
    } else {
      for (auto& [ch, idx] : set.nodes[size_t(node)].children) {
        if (ch == c) {
          next = idx;
          break;
        }
      }
    }
    if (next < 0) {
      next = int32_t(set.nodes.size());
      set.nodes.emplace_back();
      if (node == 0) {
        set.root_child[c] = next;
      } else {
        set.nodes[size_t(node)].children.emplace_back(c, next);
      }
    }
    node = next;
  }
  // A later token with the same content replaces the earlier one.
  set.nodes[size_t(node)].token_idx = token_idx;
}

void AddedTokenMatcher::build(const std::vector<AddedToken>& tokens, bool normalized_stage) {
  tokens_.clear();
  for (auto& s : sets_) s = Set{};
  for (auto& s : sets_) s.nodes.emplace_back();
  for (const AddedToken& t : tokens) {
    if (t.normalized != normalized_stage || t.content.empty()) continue;
    tokens_.push_back(t);
    const auto idx = int32_t(tokens_.size() - 1);
    insert(sets_[size_t(SpecialMode::kParseSpecial)], idx);
    if (!t.special) insert(sets_[size_t(SpecialMode::kPlain)], idx);
  }
}

int32_t AddedTokenMatcher::longest_at(const Set& set, std::string_view text, size_t pos,
                                      size_t& len) const {
  int32_t node = set.root_child[uint8_t(text[pos])];
  int32_t best = -1;
  size_t i = pos + 1;
  while (node >= 0) {
    const Node& n = set.nodes[size_t(node)];
    if (n.token_idx >= 0) {
      best = n.token_idx;
      len = i - pos;
    }
    if (i >= text.size()) break;
    const auto c = uint8_t(text[i]);
    int32_t next = -1;
    for (const auto& [ch, idx] : n.children) {
      if (ch == c) {
        next = idx;
        break;
      }
    }
    node = next;
    ++i;
  }
  return best;
}

void AddedTokenMatcher::split(std::string_view text, SpecialMode mode,
                              std::vector<Fragment>& out) const {
  const Set& set = sets_[size_t(mode)];
  size_t emitted = 0;  // end of the last fragment pushed
  size_t pos = 0;
  while (pos < text.size()) {
    if (set.root_child[uint8_t(text[pos])] < 0) {
      ++pos;
      continue;
    }
    size_t len = 0;
    int32_t ti = longest_at(set, text, pos, len);
    if (ti < 0) {
      ++pos;
      continue;
    }
    const AddedToken& tok = tokens_[size_t(ti)];
    size_t start = pos, stop = pos + len;
    if (tok.single_word) {
      uint32_t before = start == 0 ? kInvalidCodePoint : cp_before(text, start);
      uint32_t after = kInvalidCodePoint;
      if (stop < text.size()) utf8_decode(text, stop, after);
      bool ok_before = before == kInvalidCodePoint || !is_word_char(before);
      bool ok_after = after == kInvalidCodePoint || !is_word_char(after);
      if (!ok_before || !ok_after) {
        pos = stop;  // the match is consumed (as a non-overlapping scan would)
        continue;
      }
    }
    if (tok.lstrip) {
      while (start > emitted) {
        uint32_t cp = cp_before(text, start);
        if (cp == kInvalidCodePoint || !unicode_is_whitespace(cp)) break;
        start -= utf8_encode(cp).size();
      }
    }
    if (tok.rstrip) {
      while (stop < text.size()) {
        uint32_t cp;
        size_t l = utf8_decode(text, stop, cp);
        if (cp == kInvalidCodePoint || !unicode_is_whitespace(cp)) break;
        stop += l;
      }
    }
    if (start > emitted) out.push_back({-1, uint32_t(emitted), uint32_t(start - emitted)});
    out.push_back({tok.id, uint32_t(start), uint32_t(stop - start)});
    emitted = stop;
    pos = stop;
  }
  if (emitted < text.size()) out.push_back({-1, uint32_t(emitted), uint32_t(text.size() - emitted)});
}

}  // namespace hako::tokenizer
