// Emitter: the output side of the streaming parser. The format engines hand
// it reasoning text, content text and finished tool calls; it applies the
// whitespace policy (trim the reasoning and the content as wholes, without
// holding anything back but trailing whitespace), merges deltas of one push
// into one event, numbers tool calls and keeps the accumulated ParsedOutput.
// It knows nothing about markers or formats.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chat/parse/chat_output.h"

namespace hako::chat {

// Whitespace around the reasoning and the content.
enum class Whitespace : uint8_t {
  // Leading and trailing whitespace of the whole reasoning and of the whole
  // content is dropped (the templates put "\n" after <think> and "\n\n" after
  // </think>); whitespace inside is kept, also where a tool call was cut out.
  kTrim,
  // Every byte of text outside the markers is emitted as it arrives.
  kKeep,
};

class Emitter {
 public:
  Emitter(Whitespace whitespace, std::string id_prefix);

  // Events go to `out` until the next begin(); deltas appended in one
  // begin()..begin() span are merged when kind and flag agree.
  void begin(std::vector<ChatEvent>* out);

  void reasoning(std::string_view text) { write(EventKind::kReasoning, text, EventFlag::kNone); }
  void content(std::string_view text, EventFlag flag = EventFlag::kNone) {
    write(EventKind::kContent, text, flag);
  }
  void tool_call(std::string name, nlohmann::ordered_json arguments);
  // Marks the end of one block of `kind` (a </think>, a gpt-oss message):
  // with kTrim, text of that kind that follows later is separated from what
  // came before by a blank line, so two thoughts do not run together.
  void end_block(EventKind kind);
  // Drops held trailing whitespace and emits kEnd.
  void end();

  // Whether any non-whitespace content has been emitted.
  bool content_started() const { return sinks_[1].started; }
  size_t n_tool_calls() const { return result_.tool_calls.size(); }
  const ParsedOutput& result() const { return result_; }

 private:
  struct Sink {
    bool started = false;    // non-whitespace text was emitted
    std::string pending_ws;  // trailing whitespace held back (kTrim)
  };

  void write(EventKind kind, std::string_view text, EventFlag flag);
  void append(EventKind kind, std::string_view text, EventFlag flag);

  Whitespace whitespace_;
  std::string id_prefix_;
  Sink sinks_[2];  // [0] reasoning, [1] content
  std::vector<ChatEvent>* out_ = nullptr;
  size_t merge_from_ = 0;  // events before this index belong to earlier pushes
  ParsedOutput result_;
};

bool is_space(char c);

}  // namespace hako::chat
