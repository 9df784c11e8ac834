// The GPT-2 "byte-level" alphabet: a bijection between the 256 byte values
// and 256 printable code points (printable Latin-1 bytes map to themselves,
// the rest to U+0100..U+0143), used by byte-level BPE vocabularies so that
// every token is printable text. This file only maps; it does not tokenize.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hako::tokenizer {

// Code point that byte b is written as in a byte-level vocabulary.
uint32_t byte_level_char(uint8_t b);

// Inverse map: the byte for code point cp, or -1 if cp is not in the alphabet.
int byte_level_byte(uint32_t cp);

// Appends the byte-level spelling (UTF-8) of raw bytes.
void byte_level_encode(std::string_view bytes, std::string& out);

// Decodes a byte-level token text back to raw bytes. Returns false (and
// leaves `out` partially filled) if some character is outside the alphabet.
bool byte_level_decode(std::string_view text, std::string& out);

}  // namespace hako::tokenizer
