// Unit tests for the tokenizer's UTF-8 and Unicode layer: decoding with
// maximal-subpart replacement, incomplete tails, the quick-checked
// normalization against utf8proc's full normalization, byte-level alphabet,
// and the \s rewrite of regexes.
#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>
#include <random>
#include <string>

#include "tokenizer/byte_level.h"
#include "tokenizer/regex.h"
#include "tokenizer/unicode.h"
#include "tokenizer/utf8.h"
#include "base/error.h"

namespace hako::tokenizer {
namespace {

std::string reference_normalize(const std::string& s, NormForm f) {
  int flags = UTF8PROC_STABLE;
  if (f == NormForm::kNfc) flags |= UTF8PROC_COMPOSE;
  if (f == NormForm::kNfd) flags |= UTF8PROC_DECOMPOSE;
  if (f == NormForm::kNfkc) flags |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
  if (f == NormForm::kNfkd) flags |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), utf8proc_ssize_t(s.size()), &out,
                        utf8proc_option_t(flags));
  std::string r = n >= 0 ? std::string(reinterpret_cast<char*>(out), size_t(n)) : s;
  std::free(out);
  return r;
}

std::string normalize(const std::string& s, NormForm f) {
  std::string out;
  return unicode_normalize(s, f, out) ? out : s;
}

TEST(Utf8, DecodeAndSanitizeMaximalSubparts) {
  EXPECT_EQ(utf8_sanitize("a\xE3\x81" "b"), "a\xEF\xBF\xBD" "b");          // truncated 3-byte: one U+FFFD
  EXPECT_EQ(utf8_sanitize("\xC0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");        // overlong: two
  EXPECT_EQ(utf8_sanitize("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate: three
  EXPECT_EQ(utf8_sanitize("\xF0\x9F\x98"), "\xEF\xBF\xBD");                // truncated 4-byte: one
  EXPECT_EQ(utf8_sanitize("ok \xE3\x81\x82"), "ok \xE3\x81\x82");
  EXPECT_TRUE(utf8_is_valid("plain ascii text that is long enough for the 8-byte path"));
  EXPECT_FALSE(utf8_is_valid("plain ascii text then \xFF"));
  EXPECT_FALSE(utf8_is_valid("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(Utf8, IncompleteTail) {
  EXPECT_EQ(utf8_incomplete_tail(""), 0u);
  EXPECT_EQ(utf8_incomplete_tail("a\xE3"), 1u);
  EXPECT_EQ(utf8_incomplete_tail("a\xE3\x81"), 2u);
  EXPECT_EQ(utf8_incomplete_tail("a\xE3\x81\x82"), 0u);
  EXPECT_EQ(utf8_incomplete_tail("\xF0\x9F\x98"), 3u);
  EXPECT_EQ(utf8_incomplete_tail("\xE3\x41"), 0u);  // broken, not incomplete
  EXPECT_EQ(utf8_incomplete_tail("\xED\xA0"), 0u);  // surrogate prefix can never complete
  EXPECT_EQ(utf8_incomplete_tail("\x81"), 0u);
}

TEST(Unicode, NormalizationHardCases) {
  // か + combining voiced mark -> が; か + spacing ゛ (U+309B) stays in NFC but NFKC composes.
  EXPECT_EQ(normalize("\xE3\x81\x8B\xE3\x82\x99", NormForm::kNfc), "\xE3\x81\x8C");
  EXPECT_EQ(normalize("\xE3\x81\x8B\xE3\x82\x9B", NormForm::kNfc), "\xE3\x81\x8B\xE3\x82\x9B");
  EXPECT_EQ(normalize("\xE3\x81\x8B\xE3\x82\x9B", NormForm::kNfkc), "\xE3\x81\x8B \xE3\x82\x99");
  // Half-width katakana ｶﾞ -> ガ under NFKC only.
  EXPECT_EQ(normalize("\xEF\xBD\xB6\xEF\xBE\x9E", NormForm::kNfkc), "\xE3\x82\xAC");
  EXPECT_EQ(normalize("\xEF\xBD\xB6\xEF\xBE\x9E", NormForm::kNfc), "\xEF\xBD\xB6\xEF\xBE\x9E");
  // Angstrom sign and A + ring -> Å.
  EXPECT_EQ(normalize("\xE2\x84\xAB", NormForm::kNfc), "\xC3\x85");
  EXPECT_EQ(normalize("A\xCC\x8A", NormForm::kNfc), "\xC3\x85");
  // Conjoining jamo -> syllable; syllable -> jamo under NFD.
  EXPECT_EQ(normalize("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", NormForm::kNfc), "\xED\x95\x9C");
  EXPECT_EQ(normalize("\xED\x95\x9C", NormForm::kNfd), "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB");
  // Already normalized text is reported unchanged.
  std::string out;
  EXPECT_FALSE(unicode_normalize("日本語のテキスト、English text. 😀", NormForm::kNfc, out));
}

// Random strings over code points that exercise composition, reordering and
// compatibility mappings; the quick-checked result must equal utf8proc's.
TEST(Unicode, QuickCheckedNormalizationMatchesFull) {
  const uint32_t pool[] = {'a', 'e', 'A', ' ', 0x300, 0x301, 0x323, 0x327, 0x308, 0x3099, 0x309A, 0x309B,
                           0x304B, 0x304C, 0x30CF, 0x30D1, 0xFF76, 0xFF9E, 0xFF9F, 0x212B, 0x1100, 0x1161,
                           0x11A8, 0xAC00, 0xD55C, 0x1E0A, 0x0F73, 0xFB01, 0x2460, 0x3000, 0x0915, 0x093C,
                           0x0B47, 0x0B3E, 0x1F600, 0x200D, 0xFE0F, 0x0345, 0x05B0, 0x0591};
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s;
    const int len = int(rng() % 12);
    for (int k = 0; k < len; ++k) utf8_append(s, pool[rng() % (sizeof(pool) / sizeof(pool[0]))]);
    for (NormForm f : {NormForm::kNfc, NormForm::kNfd, NormForm::kNfkc, NormForm::kNfkd}) {
      ASSERT_EQ(normalize(s, f), reference_normalize(s, f)) << "form " << int(f) << " iter " << iter;
    }
  }
}

TEST(ByteLevel, AlphabetIsABijection) {
  for (int b = 0; b < 256; ++b) {
    const uint32_t cp = byte_level_char(uint8_t(b));
    EXPECT_EQ(byte_level_byte(cp), b);
  }
  EXPECT_EQ(byte_level_char(' '), 0x120u);  // "Ġ"
  EXPECT_EQ(byte_level_char('\n'), 0x10Au);  // "Ċ"
  std::string enc, dec;
  byte_level_encode("a \xE3\x81\x82\n", enc);
  ASSERT_TRUE(byte_level_decode(enc, dec));
  EXPECT_EQ(dec, "a \xE3\x81\x82\n");
  EXPECT_FALSE(byte_level_decode("\xE2\x96\x81", dec));  // ▁ is not in the alphabet
}

TEST(Regex, WhitespaceClassIsUnicodeWhiteSpace) {
  EXPECT_EQ(rewrite_whitespace_classes("a\\sb"), "a[\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
                                                 "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]b");
  const Regex re = Regex::compile_or_throw("\\s+");
  std::vector<Range> m;
  re.find_all("a\xE3\x80\x80" "b\xE1\xA0\x8E" "c", m);  // U+3000 is White_Space, U+180E is not
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].begin, 1u);
  EXPECT_EQ(m[0].end, 4u);
  EXPECT_THROW(Regex::compile_or_throw("(unclosed"), Error);
}

}  // namespace
}  // namespace hako::tokenizer
