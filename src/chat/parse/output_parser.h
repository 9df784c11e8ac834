// OutputParser: splits a model's generated text into reasoning, content and
// tool calls while it streams, for the output families of family.h. Feed it
// text pieces of any size (detokenized tokens with special tokens shown, or
// arbitrary byte splits); it emits ChatEvents as soon as text is
// unambiguous, holding back only the shortest suffix that could still become
// a marker (and, with Whitespace::kTrim, trailing whitespace). No text is lost
// or duplicated: a tool call that does not parse comes out as content flagged
// kMalformed. Tool calls are emitted whole, when their closing marker (or the
// end of the stream) arrives.
//
// Not thread-safe: one parser per stream. Not a template renderer (the prompt
// side is src/chat/jinja); StartState says where the prompt left the model.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/parse/chat_output.h"
#include "chat/parse/emitter.h"
#include "chat/parse/family.h"

namespace hako::chat {

struct ParseOptions {
  // Where the output starts; detect_start_state(family, prompt) computes it
  // from the rendered prompt (Qwen3.5 with thinking on: kReasoning).
  StartState start = StartState::kMessageStart;
  Whitespace whitespace = Whitespace::kTrim;
  // The request's OpenAI-style tools array (or null). XML-style calls use its
  // parameter types to tell "42" the string from 42 the number.
  nlohmann::ordered_json tools;
  // Tool call ids are id_prefix + index ("call_0", "call_1", ...).
  std::string id_prefix = "call_";
};

// What the parser is inside of right now (for the thinking budget: count
// generated tokens while the phase is kReasoning).
enum class Phase : uint8_t {
  kContent,   // answer text (or between blocks)
  kReasoning,
  kToolCall,  // inside a tool call's markers
  kHeader,    // gpt-oss: between messages or inside a message header
};

class FormatEngine;

class OutputParser {
 public:
  explicit OutputParser(Family family, ParseOptions options = {});
  OutputParser(OutputParser&&) noexcept;
  OutputParser& operator=(OutputParser&&) noexcept;
  ~OutputParser();

  // Appends the events that `piece` completes to `out` (several deltas of one
  // kind within one call are merged into one event). Must not be called after
  // finish().
  void push(std::string_view piece, std::vector<ChatEvent>& out);
  // Ends the stream: flushes held text (an unfinished tool call becomes a
  // call if it parses, else flagged content) and appends kEnd. Idempotent.
  void finish(std::vector<ChatEvent>& out);

  // The concatenation of all events so far.
  const ParsedOutput& result() const;
  Phase phase() const;
  Family family() const { return family_; }

 private:
  Family family_;
  std::unique_ptr<Emitter> emitter_;
  std::unique_ptr<FormatEngine> engine_;
  bool finished_ = false;
};

// Parses a complete output in one call.
ParsedOutput parse_output(Family family, std::string_view text, const ParseOptions& options = {});

}  // namespace hako::chat
