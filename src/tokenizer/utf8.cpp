// UTF-8 decoding/encoding/validation (see utf8.h). Malformed input follows
// Unicode's "maximal subpart" rule so that replacement matches other
// implementations byte for byte.
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

// Valid range of the second byte for a given lead byte (Unicode Table 3-7).
inline bool second_ok(uint8_t lead, uint8_t b) {
  switch (lead) {
    case 0xE0: return b >= 0xA0 && b <= 0xBF;
    case 0xED: return b >= 0x80 && b <= 0x9F;
    case 0xF0: return b >= 0x90 && b <= 0xBF;
    case 0xF4: return b >= 0x80 && b <= 0x8F;
    default: return b >= 0x80 && b <= 0xBF;
  }
}

inline bool cont(uint8_t b) { return (b & 0xC0) == 0x80; }

}  // namespace

size_t utf8_decode(std::string_view s, size_t pos, uint32_t& cp) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data()) + pos;
  const size_t avail = s.size() - pos;
  const uint8_t b0 = p[0];
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  const size_t n = utf8_seq_len(b0);
  if (n == 1) {
    cp = kInvalidCodePoint;
    return 1;
  }
  if (avail < 2 || !second_ok(b0, p[1])) {
    cp = kInvalidCodePoint;
    return 1;
  }
  if (n == 2) {
    cp = (uint32_t(b0 & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (avail < 3 || !cont(p[2])) {
    cp = kInvalidCodePoint;
    return 2;
  }
  if (n == 3) {
    cp = (uint32_t(b0 & 0x0F) << 12) | (uint32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return 3;
  }
  if (avail < 4 || !cont(p[3])) {
    cp = kInvalidCodePoint;
    return 3;
  }
  cp = (uint32_t(b0 & 0x07) << 18) | (uint32_t(p[1] & 0x3F) << 12) |
       (uint32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  return 4;
}

void utf8_append(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

std::string utf8_encode(uint32_t cp) {
  std::string s;
  utf8_append(s, cp);
  return s;
}

bool utf8_is_valid(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    // Fast path over ASCII, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      __builtin_memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (uint8_t(s[i]) < 0x80) {
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len = utf8_decode(s, i, cp);
    if (cp == kInvalidCodePoint) return false;
    i += len;
  }
  return true;
}

size_t utf8_incomplete_tail(std::string_view s) {
  // Look at most 3 bytes back for a lead byte whose sequence runs past the end.
  const size_t n = s.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    const auto b = uint8_t(s[n - back]);
    if (cont(b)) continue;
    const size_t need = utf8_seq_len(b);
    if (need <= back) return 0;  // complete (or an invalid single byte)
    // Check that the bytes present are a valid prefix.
    if (back >= 2 && !second_ok(b, uint8_t(s[n - back + 1]))) return 0;
    for (size_t k = 2; k < back; ++k) {
      if (!cont(uint8_t(s[n - back + k]))) return 0;
    }
    return back;
  }
  return 0;
}

std::string utf8_sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp;
    size_t len = utf8_decode(s, i, cp);
    if (cp == kInvalidCodePoint) {
      utf8_append(out, kReplacementChar);
    } else {
      out.append(s.data() + i, len);
    }
    i += len;
  }
  return out;
}

}  // namespace hako::tokenizer
