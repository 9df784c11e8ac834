// The pieces a model's output is split into: reasoning text, answer
// (content) text and tool calls, as streaming events (ChatEvent) and as the
// accumulated whole (ParsedOutput). Plain data; the parser that produces them
// is output_parser.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hako::chat {

// One complete tool call.
struct ToolCall {
  std::string id;    // "call_0", "call_1", ... in order of appearance (ParseOptions::id_prefix)
  std::string name;  // the function name (gpt-oss: without the "functions." namespace)
  nlohmann::ordered_json arguments = nlohmann::ordered_json::object();  // always a JSON object

  bool operator==(const ToolCall&) const = default;
};

enum class EventKind : uint8_t {
  kReasoning,  // text: a delta of the thinking
  kContent,    // text: a delta of the answer
  kToolCall,   // tool_call: one finished call
  kEnd,        // the stream is finished; nothing follows
};

enum class EventFlag : uint8_t {
  kNone,
  // A content delta holding text that looked like a tool call (or, for
  // gpt-oss, a message header) but did not parse — malformed JSON, an
  // unterminated call. The text is kept verbatim, markers included.
  kMalformed,
};

struct ChatEvent {
  EventKind kind = EventKind::kContent;
  EventFlag flag = EventFlag::kNone;
  std::string text;    // kReasoning / kContent
  ToolCall tool_call;  // kToolCall
};

// Everything parsed so far: the concatenation of all events.
struct ParsedOutput {
  std::string reasoning;
  std::string content;
  std::vector<ToolCall> tool_calls;
  int n_malformed = 0;  // content events flagged kMalformed
};

}  // namespace hako::chat
