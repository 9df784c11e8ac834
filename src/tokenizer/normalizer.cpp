// Normalizer steps (see normalizer.h). Each step returns false when it would
// leave the text unchanged, so the common case costs a scan and no copy.
#include "tokenizer/normalizer.h"

#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

bool lowercase(std::string_view s, std::string& out) {
  bool changed = false;
  out.clear();
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = utf8_decode(s, i, cp);
    uint32_t lo = cp < 0x80 ? (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp) : unicode_to_lower(cp);
    if (lo != cp) changed = true;
    if (lo == cp) {
      out.append(s.data() + i, len);
    } else {
      utf8_append(out, lo);
    }
    i += len;
  }
  return changed;
}

bool strip(std::string_view s, bool left, bool right, std::string& out) {
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e) {
      uint32_t cp;
      size_t len = utf8_decode(s, b, cp);
      if (!unicode_is_whitespace(cp)) break;
      b += len;
    }
  }
  if (right) {
    while (e > b) {
      size_t k = e - 1;
      while (k > b && (uint8_t(s[k]) & 0xC0) == 0x80) --k;
      uint32_t cp;
      utf8_decode(s, k, cp);
      if (!unicode_is_whitespace(cp)) break;
      e = k;
    }
  }
  if (b == 0 && e == s.size()) return false;
  out.assign(s.substr(b, e - b));
  return true;
}

bool strip_accents(std::string_view s, std::string& out) {
  bool changed = false;
  out.clear();
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = utf8_decode(s, i, cp);
    if (cp >= 0x300 && unicode_is_mark_nonspacing(cp)) {
      changed = true;
    } else {
      out.append(s.data() + i, len);
    }
    i += len;
  }
  return changed;
}

bool replace_literal(std::string_view s, std::string_view pat, std::string_view with,
                     std::string& out) {
  if (pat.empty()) return false;
  size_t p = s.find(pat);
  if (p == std::string_view::npos) return false;
  out.clear();
  out.reserve(s.size() + (with.size() > pat.size() ? s.size() / 2 : 0));
  size_t from = 0;
  while (p != std::string_view::npos) {
    out.append(s.data() + from, p - from);
    out.append(with);
    from = p + pat.size();
    p = s.find(pat, from);
  }
  out.append(s.data() + from, s.size() - from);
  return true;
}

bool replace_regex(std::string_view s, const Regex& re, std::string_view with, std::string& out) {
  std::vector<Range> m;
  re.find_all(s, m);
  if (m.empty()) return false;
  out.clear();
  size_t from = 0;
  for (const Range& r : m) {
    out.append(s.data() + from, r.begin - from);
    out.append(with);
    from = r.end;
  }
  out.append(s.data() + from, s.size() - from);
  return true;
}

// BERT cleaning: drops NUL, U+FFFD and control characters, maps whitespace to
// ' ', pads CJK ideographs with spaces, then optional accent strip and lowercase.
bool bert_clean(std::string_view s, const NormalizerStep& st, std::string& out) {
  out.clear();
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = utf8_decode(s, i, cp);
    i += len;
    if (st.clean_text) {
      if (cp == 0 || cp == 0xFFFD) continue;
      if (cp == '\t' || cp == '\n' || cp == '\r' || unicode_is_whitespace(cp)) {
        out.push_back(' ');
        continue;
      }
      if (unicode_is_other(cp)) continue;
    }
    if (st.handle_chinese_chars && is_cjk_ideograph(cp)) {
      out.push_back(' ');
      utf8_append(out, cp);
      out.push_back(' ');
      continue;
    }
    utf8_append(out, cp);
  }
  return true;
}

}  // namespace

bool is_cjk_ideograph(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

std::string_view Normalizer::apply(std::string_view text, std::string& buf_a,
                                   std::string& buf_b) const {
  std::string_view cur = text;
  for (const NormalizerStep& st : steps_) {
    // Write into whichever scratch buffer `cur` does not live in.
    std::string& out = (cur.data() == buf_a.data() && !buf_a.empty()) ? buf_b : buf_a;
    bool changed = false;
    switch (st.kind) {
      case NormalizerKind::kUnicode: changed = unicode_normalize(cur, st.form, out); break;
      case NormalizerKind::kLowercase: changed = lowercase(cur, out); break;
      case NormalizerKind::kStrip: changed = strip(cur, st.strip_left, st.strip_right, out); break;
      case NormalizerKind::kStripAccents: changed = strip_accents(cur, out); break;
      case NormalizerKind::kReplace:
        changed = st.regex ? replace_regex(cur, *st.regex, st.content, out)
                           : replace_literal(cur, st.pattern, st.content, out);
        break;
      case NormalizerKind::kPrepend:
        if (!cur.empty()) {
          out.assign(st.content);
          out.append(cur);
          changed = true;
        }
        break;
      case NormalizerKind::kBert: {
        changed = bert_clean(cur, st, out);
        std::string& out2 = &out == &buf_a ? buf_b : buf_a;
        if (st.strip_accents) {
          std::string tmp;
          if (unicode_normalize(out, NormForm::kNfd, tmp)) out.swap(tmp);
          if (strip_accents(out, out2)) out.swap(out2);
        }
        if (st.lowercase && lowercase(out, out2)) out.swap(out2);
        break;
      }
    }
    if (changed) cur = out;
  }
  return cur;
}

}  // namespace hako::tokenizer
