// GPT-2 byte-level alphabet (see byte_level.h).
#include "tokenizer/byte_level.h"

#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

struct Tables {
  std::array<uint32_t, 256> to_char{};
  std::array<int16_t, 0x144> to_byte{};  // indexed by code point < 0x144
  std::array<std::string, 256> utf8;
  Tables() {
    to_byte.fill(-1);
    auto printable = [](int b) {
      return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    };
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      uint32_t cp = printable(b) ? uint32_t(b) : uint32_t(256 + n++);
      to_char[b] = cp;
      to_byte[cp] = int16_t(b);
      utf8[b] = utf8_encode(cp);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

uint32_t byte_level_char(uint8_t b) { return tables().to_char[b]; }

int byte_level_byte(uint32_t cp) { return cp < 0x144 ? tables().to_byte[cp] : -1; }

void byte_level_encode(std::string_view bytes, std::string& out) {
  const Tables& t = tables();
  for (char c : bytes) out += t.utf8[uint8_t(c)];
}

bool byte_level_decode(std::string_view text, std::string& out) {
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp;
    size_t len = utf8_decode(text, i, cp);
    int b = cp == kInvalidCodePoint ? -1 : byte_level_byte(cp);
    if (b < 0) return false;
    out.push_back(char(b));
    i += len;
  }
  return true;
}

}  // namespace hako::tokenizer
