// libFuzzer target for the streaming chat output parsers (src/chat/parse:
// think tags, Harmony, Gemma 4, Nemotron-H, LFM2, Hermes/Qwen JSON calls,
// Qwen3-Coder XML, Llama 3 JSON, DeepSeek-R1). An input is a 3-byte header
// and the model output text (layout: chat_parse_seeds.h):
//   byte 0  the family (value % Family::kCount)
//   byte 1  options: bits 0-1 start state (3 = message start), bit 2
//           Whitespace::kKeep, bit 3 a tools array with typed parameters,
//           bit 4 cuts only at UTF-8 character boundaries
//   byte 2  the split: low 3 bits k give pieces of 1..2^k bytes (k = 0:
//           1-byte pieces), the high 5 bits seed the piece lengths
// Beyond not crashing, throwing, hanging or leaking, it checks properties and
// traps (__builtin_trap) when one fails:
//   - the parse is the same (reasoning, content, tool calls, malformed count)
//     whether the text is pushed whole or in the pieces;
//   - the events add up to the parser's own result, text events are never
//     empty, and kEnd comes exactly once, last;
//   - when the text is valid UTF-8: the reasoning, the content and every tool
//     call's name and arguments are too (arguments dump as strict JSON), and
//     so is every event's text whenever the pieces were cut at character
//     boundaries (the whole push included): a delta is sent to a client as
//     JSON on its own.
// Not a test of what the parse should be: tests/chat/parse checks that.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/parse/output_parser.h"

namespace {

using hako::chat::ChatEvent;
using hako::chat::EventFlag;
using hako::chat::EventKind;
using hako::chat::Family;
using hako::chat::OutputParser;
using hako::chat::ParseOptions;
using hako::chat::ParsedOutput;
using hako::chat::StartState;
using hako::chat::Whitespace;

constexpr size_t kHeaderBytes = 3;

// Stops the fuzzer with a message naming the broken property.
[[noreturn]] void fail(const char* what) {
  fprintf(stderr, "chat_parse_fuzz: property violated: %s\n", what);
  __builtin_trap();
}

// Length of the UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no
// surrogates, at most U+10FFFF), or 0 when it is not one.
size_t utf8_char_len(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (i + n > s.size()) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (b(k) < 0x80 || b(k) > 0xBF) return 0;
  }
  return n;
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = utf8_char_len(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

const nlohmann::ordered_json& typed_tools() {
  static const nlohmann::ordered_json tools = nlohmann::ordered_json::parse(R"([
    {"type": "function", "function": {"name": "f", "parameters": {"type": "object", "properties": {
      "a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": ["string", "null"]},
      "d": {"type": "object"}, "e": {"type": "array"}, "x": {"type": "boolean"}}}}},
    {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object",
      "properties": {"city": {"type": "string"}, "days": {"type": "number"}}}}}
  ])");
  return tools;
}

// The pieces `text` is cut into; with `aligned`, cuts inside a UTF-8
// character move forward to its end (invalid bytes count as characters).
std::vector<std::string_view> split(std::string_view text, uint8_t pattern, bool aligned) {
  const size_t max_len = size_t{1} << (pattern & 7);
  uint32_t state = 0x9E3779B9u ^ (uint32_t{pattern} >> 3) * 0x85EBCA6Bu;
  std::vector<std::string_view> pieces;
  for (size_t at = 0; at < text.size();) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    size_t end = std::min(text.size(), at + 1 + state % max_len);
    if (aligned) {
      size_t i = at;
      while (i < end) i += std::max<size_t>(1, utf8_char_len(text, i));
      end = std::min(i, text.size());
    }
    pieces.push_back(text.substr(at, end - at));
    at = end;
  }
  return pieces;
}

struct Fed {
  ParsedOutput result;
  bool deltas_utf8 = true;  // every text event is valid UTF-8
};

// Pushes `pieces` through a fresh parser, checking the event protocol.
Fed feed(Family family, const ParseOptions& options, const std::vector<std::string_view>& pieces) {
  OutputParser parser(family, options);
  std::vector<ChatEvent> events;
  for (std::string_view piece : pieces) {
    parser.push(piece, events);
    if (!events.empty() && events.back().kind == EventKind::kEnd) fail("kEnd before finish()");
  }
  parser.finish(events);
  parser.finish(events);  // idempotent: adds nothing
  Fed fed;
  ParsedOutput sum;
  for (size_t i = 0; i < events.size(); ++i) {
    const ChatEvent& ev = events[i];
    switch (ev.kind) {
      case EventKind::kReasoning:
      case EventKind::kContent:
        if (ev.text.empty()) fail("empty text event");
        (ev.kind == EventKind::kReasoning ? sum.reasoning : sum.content).append(ev.text);
        if (ev.flag == EventFlag::kMalformed) ++sum.n_malformed;
        fed.deltas_utf8 = fed.deltas_utf8 && valid_utf8(ev.text);
        break;
      case EventKind::kToolCall:
        sum.tool_calls.push_back(ev.tool_call);
        break;
      case EventKind::kEnd:
        if (i + 1 != events.size()) fail("kEnd not last, or twice");
        break;
    }
  }
  if (events.empty() || events.back().kind != EventKind::kEnd) fail("no kEnd");
  fed.result = parser.result();
  const ParsedOutput& r = fed.result;
  if (sum.reasoning != r.reasoning || sum.content != r.content || sum.tool_calls != r.tool_calls ||
      sum.n_malformed != r.n_malformed) {
    fail("events do not add up to result()");
  }
  return fed;
}

bool same(const ParsedOutput& x, const ParsedOutput& y) {
  return x.reasoning == y.reasoning && x.content == y.content && x.tool_calls == y.tool_calls &&
         x.n_malformed == y.n_malformed;
}

void check_utf8(const ParsedOutput& r) {
  if (!valid_utf8(r.reasoning)) fail("reasoning is not valid UTF-8");
  if (!valid_utf8(r.content)) fail("content is not valid UTF-8");
  for (const auto& call : r.tool_calls) {
    if (!valid_utf8(call.name) || !valid_utf8(call.id)) fail("tool call name is not valid UTF-8");
    if (!call.arguments.is_object()) fail("tool call arguments are not an object");
    try {
      (void)call.arguments.dump();  // strict: throws on invalid UTF-8
    } catch (const nlohmann::json::exception&) {
      fail("tool call arguments are not valid UTF-8");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeaderBytes) return 0;
  const auto family = static_cast<Family>(data[0] % static_cast<uint8_t>(Family::kCount));
  const uint8_t flags = data[1];
  ParseOptions options;
  constexpr StartState kStarts[] = {StartState::kMessageStart, StartState::kReasoning,
                                    StartState::kContent, StartState::kMessageStart};
  options.start = kStarts[flags & 3];
  options.whitespace = (flags & 4) ? Whitespace::kKeep : Whitespace::kTrim;
  if (flags & 8) options.tools = typed_tools();
  const bool aligned = (flags & 16) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + kHeaderBytes,
                              size - kHeaderBytes);

  const Fed whole = feed(family, options, {text});
  const Fed pieces = feed(family, options, split(text, data[2], aligned));
  if (!same(whole.result, pieces.result)) fail("the parse depends on how the text was split");
  if (valid_utf8(text)) {
    check_utf8(whole.result);
    if (!whole.deltas_utf8) fail("an event of the whole push is not valid UTF-8");
    if (aligned && !pieces.deltas_utf8) fail("an event is not valid UTF-8 (pieces cut at characters)");
  }
  return 0;
}
