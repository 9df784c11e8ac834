// Unicode properties and quick-checked normalization (see unicode.h).
// The stability bitmaps are computed once, on first use, from utf8proc's
// tables; they cover all 0x110000 code points (136 KiB each).
#include "tokenizer/unicode.h"

#include <utf8proc.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

constexpr uint32_t kMaxCp = 0x110000;

// One bit per code point: set when the code point is NOT stable for the form.
struct UnstableSet {
  std::vector<uint64_t> bits = std::vector<uint64_t>(kMaxCp / 64, 0);
  bool test(uint32_t cp) const { return cp < kMaxCp && ((bits[cp >> 6] >> (cp & 63)) & 1); }
  void set(uint32_t cp) { bits[cp >> 6] |= uint64_t(1) << (cp & 63); }
};

utf8proc_option_t decompose_flags(NormForm f) {
  bool compat = f == NormForm::kNfkc || f == NormForm::kNfkd;
  return utf8proc_option_t(UTF8PROC_DECOMPOSE | (compat ? UTF8PROC_COMPAT : 0));
}

bool composes(NormForm f) { return f == NormForm::kNfc || f == NormForm::kNfkc; }

UnstableSet build_unstable(NormForm form) {
  UnstableSet set;
  const utf8proc_option_t dflags = decompose_flags(form);
  const bool compose = composes(form);
  for (uint32_t cp = 0; cp < kMaxCp; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const utf8proc_property_t* p = utf8proc_get_property(utf8proc_int32_t(cp));
    if (p->combining_class != 0) set.set(cp);
    const bool hangul = cp >= 0xAC00 && cp <= 0xD7A3;
    if (p->decomp_seqindex == UINT16_MAX && !hangul) continue;
    std::array<utf8proc_int32_t, 32> buf{};
    int last_class = 0;
    // Composition is always canonical: any non-initial element of a canonical
    // decomposition may compose with what precedes it.
    utf8proc_ssize_t n = utf8proc_decompose_char(utf8proc_int32_t(cp), buf.data(), buf.size(),
                                                 UTF8PROC_DECOMPOSE, &last_class);
    if (n > 1 && size_t(n) <= buf.size()) {
      for (utf8proc_ssize_t k = 1; k < n; ++k) set.set(uint32_t(buf[k]));
    }
    n = utf8proc_decompose_char(utf8proc_int32_t(cp), buf.data(), buf.size(), dflags, &last_class);
    if (n <= 0 || size_t(n) > buf.size()) {
      set.set(cp);
      continue;
    }
    if (n == 1 && uint32_t(buf[0]) == cp) continue;  // no mapping in this form
    if (!compose) {
      set.set(cp);
      continue;
    }
    utf8proc_ssize_t m = utf8proc_normalize_utf32(buf.data(), n,
                                                  utf8proc_option_t(UTF8PROC_COMPOSE | UTF8PROC_STABLE));
    if (m != 1 || uint32_t(buf[0]) != cp) set.set(cp);
  }
  return set;
}

// One lazily built table per form (each costs a few milliseconds once).
template <NormForm F>
const UnstableSet& unstable_for() {
  static const UnstableSet set = build_unstable(F);
  return set;
}

const UnstableSet& unstable_set(NormForm form) {
  switch (form) {
    case NormForm::kNfc: return unstable_for<NormForm::kNfc>();
    case NormForm::kNfd: return unstable_for<NormForm::kNfd>();
    case NormForm::kNfkc: return unstable_for<NormForm::kNfkc>();
    case NormForm::kNfkd: return unstable_for<NormForm::kNfkd>();
  }
  return unstable_for<NormForm::kNfc>();
}

utf8proc_option_t map_flags(NormForm f) {
  int flags = UTF8PROC_STABLE;
  switch (f) {
    case NormForm::kNfc: flags |= UTF8PROC_COMPOSE; break;
    case NormForm::kNfd: flags |= UTF8PROC_DECOMPOSE; break;
    case NormForm::kNfkc: flags |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT; break;
    case NormForm::kNfkd: flags |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT; break;
  }
  return utf8proc_option_t(flags);
}

void append_normalized(std::string_view window, NormForm form, std::string& out) {
  utf8proc_uint8_t* res = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(window.data()),
                                    utf8proc_ssize_t(window.size()), &res, map_flags(form));
  if (n < 0 || res == nullptr) {
    out.append(window);  // cannot happen on valid UTF-8; keep the text as is
  } else {
    out.append(reinterpret_cast<const char*>(res), size_t(n));
  }
  std::free(res);
}

inline bool is_ascii_block(std::string_view s, size_t i) {
  uint64_t w;
  __builtin_memcpy(&w, s.data() + i, 8);
  return (w & 0x8080808080808080ULL) == 0;
}

}  // namespace

bool unicode_normalize(std::string_view s, NormForm form, std::string& out) {
  const UnstableSet& unstable = unstable_set(form);
  // Find the first unstable code point; track the start of the last stable one.
  size_t i = 0;
  size_t last_stable = 0;
  bool found = false;
  while (i < s.size()) {
    if (i + 8 <= s.size() && is_ascii_block(s, i)) {
      last_stable = i + 7;
      i += 8;
      continue;
    }
    uint32_t cp;
    size_t len = utf8_decode(s, i, cp);
    if (cp != kInvalidCodePoint && unstable.test(cp)) {
      found = true;
      break;
    }
    last_stable = i;
    i += len;
  }
  if (!found) return false;

  out.clear();
  out.reserve(s.size() + 16);
  size_t copied = 0;  // bytes of s already emitted
  while (i < s.size()) {
    // Window: from the last stable code point before i to the next stable one.
    size_t win_start = last_stable < i ? last_stable : i;
    if (win_start < copied) win_start = copied;
    size_t j = i;
    while (j < s.size()) {
      uint32_t cp;
      size_t len = utf8_decode(s, j, cp);
      if (j > i && !unstable.test(cp)) break;
      j += len;
    }
    out.append(s.data() + copied, win_start - copied);
    append_normalized(s.substr(win_start, j - win_start), form, out);
    copied = j;
    // Scan on for the next unstable code point.
    i = j;
    last_stable = j;
    bool more = false;
    while (i < s.size()) {
      uint32_t cp;
      size_t len = utf8_decode(s, i, cp);
      if (unstable.test(cp)) {
        more = true;
        break;
      }
      last_stable = i;
      i += len;
    }
    if (!more) break;
  }
  out.append(s.data() + copied, s.size() - copied);
  return true;
}

namespace {
inline utf8proc_category_t category(uint32_t cp) {
  return utf8proc_category(utf8proc_int32_t(cp));
}
}  // namespace

bool unicode_is_letter(uint32_t cp) {
  auto c = category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

bool unicode_is_number(uint32_t cp) {
  auto c = category(cp);
  return c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
}

bool unicode_is_punctuation(uint32_t cp) {
  auto c = category(cp);
  return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO;
}

bool unicode_is_symbol(uint32_t cp) {
  auto c = category(cp);
  return c >= UTF8PROC_CATEGORY_SM && c <= UTF8PROC_CATEGORY_SO;
}

bool unicode_is_mark_nonspacing(uint32_t cp) { return category(cp) == UTF8PROC_CATEGORY_MN; }

bool unicode_is_other(uint32_t cp) {
  auto c = category(cp);
  return c == UTF8PROC_CATEGORY_CN || c == UTF8PROC_CATEGORY_CC || c == UTF8PROC_CATEGORY_CF ||
         c == UTF8PROC_CATEGORY_CS || c == UTF8PROC_CATEGORY_CO;
}

bool unicode_is_whitespace(uint32_t cp) {
  switch (cp) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

uint32_t unicode_to_lower(uint32_t cp) { return uint32_t(utf8proc_tolower(utf8proc_int32_t(cp))); }

}  // namespace hako::tokenizer
