// PreTokenizer steps (see pretokenizer.h). Every step turns the current list
// of spans into a new one; only Metaspace and the prefix space rewrite text.
#include "tokenizer/pretokenizer.h"

#include "tokenizer/unicode.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

using Span = Pieces::Span;

struct Segment {
  uint32_t begin, end;
  bool match;
};

struct Scratch {
  std::vector<Range> matches;
  std::vector<Segment> segs;
  std::vector<Segment> folded;
  std::vector<Span> spans;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

bool ascii_punct(uint32_t cp) {
  return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60) ||
         (cp >= 0x7B && cp <= 0x7E);
}

template <class Pred>
void find_chars(std::string_view s, Pred&& pred, std::vector<Range>& out) {
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = utf8_decode(s, i, cp);
    if (pred(cp)) out.push_back({uint32_t(i), uint32_t(i + len)});
    i += len;
  }
}

void find_literal(std::string_view s, std::string_view pat, std::vector<Range>& out) {
  if (pat.empty()) return;
  size_t p = s.find(pat);
  while (p != std::string_view::npos) {
    out.push_back({uint32_t(p), uint32_t(p + pat.size())});
    p = s.find(pat, p + pat.size());
  }
}

// Applies Hugging Face's split behaviour to one piece whose matches are in
// sc.matches (relative to the piece), appending spans (absolute) to out.
void fold(uint32_t base, uint32_t len, SplitBehavior beh, bool invert, Scratch& sc,
          std::vector<Span>& out) {
  auto& segs = sc.segs;
  segs.clear();
  uint32_t prev = 0;
  for (const Range& m : sc.matches) {
    if (m.begin > prev) segs.push_back({prev, m.begin, invert});
    segs.push_back({m.begin, m.end, !invert});
    prev = m.end;
  }
  if (prev < len) segs.push_back({prev, len, invert});

  auto& f = sc.folded;
  f.clear();
  bool prev_match = false;
  switch (beh) {
    case SplitBehavior::kRemoved:
    case SplitBehavior::kIsolated:
      f = segs;
      break;
    case SplitBehavior::kMergedWithPrevious:
      for (const Segment& s : segs) {
        if (s.match && !prev_match && !f.empty()) {
          f.back().end = s.end;
        } else {
          f.push_back(s);
        }
        prev_match = s.match;
      }
      break;
    case SplitBehavior::kMergedWithNext:
      for (size_t k = segs.size(); k-- > 0;) {
        const Segment& s = segs[k];
        if (s.match && !prev_match && !f.empty()) {
          f.back().begin = s.begin;
        } else {
          f.push_back(s);
        }
        prev_match = s.match;
      }
      for (size_t a = 0, b = f.size(); a + 1 < b; ++a, --b) std::swap(f[a], f[b - 1]);
      break;
    case SplitBehavior::kContiguous:
      for (const Segment& s : segs) {
        if (s.match == prev_match && !f.empty()) {
          f.back().end = s.end;
        } else {
          f.push_back(s);
        }
        prev_match = s.match;
      }
      break;
  }
  for (const Segment& s : f) {
    if (s.end <= s.begin) continue;
    if (beh == SplitBehavior::kRemoved && s.match) continue;
    out.push_back({base + s.begin, s.end - s.begin});
  }
}

void matches_for(const PreTokenizerStep& st, std::string_view piece, std::vector<Range>& m) {
  switch (st.kind) {
    case PreTokenizerKind::kSplit:
    case PreTokenizerKind::kWhitespace:
      if (st.regex) {
        st.regex->find_all(piece, m);
      } else {
        find_literal(piece, st.literal, m);
      }
      break;
    case PreTokenizerKind::kDigits:
      find_chars(piece, [](uint32_t cp) { return cp < 0x80 ? (cp >= '0' && cp <= '9') : unicode_is_number(cp); }, m);
      break;
    case PreTokenizerKind::kPunctuation:
    case PreTokenizerKind::kBert:
      find_chars(piece, [](uint32_t cp) { return ascii_punct(cp) || (cp >= 0x80 && unicode_is_punctuation(cp)); }, m);
      break;
    case PreTokenizerKind::kWhitespaceSplit:
      find_chars(piece, [](uint32_t cp) { return unicode_is_whitespace(cp); }, m);
      break;
    case PreTokenizerKind::kMetaspace:
      find_literal(piece, st.literal, m);
      break;
    case PreTokenizerKind::kPrefixSpace:
      break;
  }
}

void split_step(const PreTokenizerStep& st, SplitBehavior beh, bool invert, Pieces& p) {
  Scratch& sc = scratch();
  sc.spans.clear();
  const std::string_view text = p.text();
  for (const Span& s : p.spans()) {
    sc.matches.clear();
    matches_for(st, text.substr(s.offset, s.length), sc.matches);
    if (sc.matches.empty() && !invert) {
      sc.spans.push_back(s);  // one non-matching segment: kept by every behaviour
      continue;
    }
    fold(s.offset, s.length, beh, invert, sc, sc.spans);
  }
  p.spans().swap(sc.spans);
}

// Rewrites every piece with `edit(piece, out)` into a new owned buffer.
template <class Edit>
void rewrite(Pieces& p, Edit&& edit) {
  std::string buf;
  const std::string_view text = p.text();
  buf.reserve(text.size() + p.spans().size() * 3 + 8);
  Scratch& sc = scratch();
  sc.spans.clear();
  size_t idx = 0;
  for (const Span& s : p.spans()) {
    auto begin = uint32_t(buf.size());
    edit(text.substr(s.offset, s.length), idx++, buf);
    sc.spans.push_back({begin, uint32_t(buf.size() - begin)});
  }
  p.adopt(std::move(buf));
  p.spans().swap(sc.spans);
}

}  // namespace

void PreTokenizer::apply(std::string_view text, bool first_in_input, Pieces& out) const {
  out.reset(text);
  if (!text.empty()) out.spans().push_back({0, uint32_t(text.size())});
  for (const PreTokenizerStep& st : steps_) {
    switch (st.kind) {
      case PreTokenizerKind::kSplit:
        split_step(st, st.behavior, st.invert, out);
        break;
      case PreTokenizerKind::kWhitespace:
        split_step(st, SplitBehavior::kRemoved, true, out);
        break;
      case PreTokenizerKind::kDigits:
        split_step(st, st.individual_digits ? SplitBehavior::kIsolated : SplitBehavior::kContiguous,
                   false, out);
        break;
      case PreTokenizerKind::kPunctuation:
        split_step(st, st.behavior, false, out);
        break;
      case PreTokenizerKind::kWhitespaceSplit:
        split_step(st, SplitBehavior::kRemoved, false, out);
        break;
      case PreTokenizerKind::kBert: {
        PreTokenizerStep ws;
        ws.kind = PreTokenizerKind::kWhitespaceSplit;
        split_step(ws, SplitBehavior::kRemoved, false, out);
        split_step(st, SplitBehavior::kIsolated, false, out);
        break;
      }
      case PreTokenizerKind::kPrefixSpace:
        rewrite(out, [](std::string_view piece, size_t, std::string& buf) {
          if (piece.empty() || piece[0] != ' ') buf.push_back(' ');
          buf.append(piece);
        });
        break;
      case PreTokenizerKind::kMetaspace: {
        const std::string& rep = st.literal;
        rewrite(out, [&](std::string_view piece, size_t idx, std::string& buf) {
          const size_t start = buf.size();
          for (char c : piece) {
            if (c == ' ') {
              buf.append(rep);
            } else {
              buf.push_back(c);
            }
          }
          const bool starts = buf.compare(start, rep.size(), rep) == 0 && buf.size() - start >= rep.size();
          bool prepend = false;
          if (st.prepend == PrependScheme::kAlways) prepend = !starts;
          if (st.prepend == PrependScheme::kFirst) prepend = !starts && first_in_input && idx == 0;
          if (prepend) buf.insert(start, rep);
        });
        if (st.metaspace_split) split_step(st, SplitBehavior::kMergedWithNext, false, out);
        break;
      }
    }
  }
}

}  // namespace hako::tokenizer
