// Seed inputs for chat_parse_fuzz (the streaming chat output parsers), shared
// by the seed writer (seed_chat_outputs.cpp, run by tools/fuzz.sh for the
// "@chat-outputs" seed token) and the replay test (tests/chat/parse). Each
// input is the fuzzer's 3-byte header (family, option flags, split pattern;
// see chat_parse_fuzz.cpp) followed by model output text. Seeds are the
// assistant turns of the reference renderings in
// ../shared/testdata/templates/expected (written the way each model family
// was trained to write them), with the family detected from the template,
// plus hand-made outputs per family (reasoning, tool calls, broken markers).
// Not a parser: only cuts text at turn markers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "chat/parse/family.h"

namespace hako::fuzz {

// chat_parse_fuzz's option bits (byte 1 of an input).
inline constexpr uint8_t kChatStartReasoning = 1;  // StartState::kReasoning (2: kContent)
inline constexpr uint8_t kChatKeepSpace = 4;       // Whitespace::kKeep
inline constexpr uint8_t kChatTools = 8;           // a typed tools array
inline constexpr uint8_t kChatAligned = 16;        // cut pieces at UTF-8 characters

struct ChatParseSeed {
  std::string name;   // file name: "chat-<source>-<n>", no folders
  std::string bytes;  // header + text
};

// The fuzzer input for `text` parsed as `family` with `flags`, cut by `split`.
std::string chat_parse_input(chat::Family family, uint8_t flags, uint8_t split,
                             std::string_view text);

// Every seed: the hand-made ones, then at most 16 distinct assistant turns
// (each at most 2 KiB) per expected-rendering file under
// `testdata`/templates/expected whose template has a known family. Throws
// std::runtime_error if the folder cannot be read.
std::vector<ChatParseSeed> chat_parse_seeds(const std::filesystem::path& testdata);

}  // namespace hako::fuzz
