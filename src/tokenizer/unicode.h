// Unicode character properties and normalization forms used by the
// tokenizer (backed by utf8proc). Normalization runs a quick check first:
// text made only of "stable" code points (canonical combining class 0, left
// unchanged by the form, and unable to compose with a preceding character) is
// already normalized and costs one table lookup per code point; only the
// windows around unstable code points go through utf8proc. This file knows
// nothing about tokens or regexes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hako::tokenizer {

enum class NormForm : uint8_t { kNfc, kNfd, kNfkc, kNfkd };

// Writes the normalized form of valid UTF-8 `s` to `out` and returns true, or
// returns false (leaving `out` untouched) when `s` is already in that form.
// Precondition: s is valid UTF-8.
bool unicode_normalize(std::string_view s, NormForm form, std::string& out);

// General-category tests (Unicode, via utf8proc).
bool unicode_is_letter(uint32_t cp);
bool unicode_is_number(uint32_t cp);       // Nd, Nl, No
bool unicode_is_punctuation(uint32_t cp);  // Pc, Pd, Ps, Pe, Pi, Pf, Po
bool unicode_is_symbol(uint32_t cp);       // Sm, Sc, Sk, So
bool unicode_is_mark_nonspacing(uint32_t cp);  // Mn
// Categories C* (Cc, Cf, Cs, Co, Cn): what BERT's text cleaning drops.
bool unicode_is_other(uint32_t cp);
// The White_Space property (what Rust's char::is_whitespace tests).
bool unicode_is_whitespace(uint32_t cp);
// Simple lowercase mapping of one code point.
uint32_t unicode_to_lower(uint32_t cp);

}  // namespace hako::tokenizer
