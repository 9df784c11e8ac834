// Output-format families: how each model family writes its reasoning, its
// answer and its tool calls, as one table of data (FamilySpec), plus the
// selection of a family from a chat template's source or from a name, and
// the reasoning-control data the generation loop needs (the text that closes
// a thinking block when the budget runs out, how thinking is turned off).
// This file only describes formats; OutputParser (output_parser.h) reads the
// table to split a stream, and nothing here parses generated text.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hako::chat {

// One entry per output syntax. Several model families share one entry when
// their output is written the same way (Qwen2.5 and Hermes 2/3 are kHermes).
enum class Family : uint8_t {
  kPlain,       // no reasoning, no tool calls: everything is content
  kThink,       // <think>…</think> (+ DeepSeek-R1 calls): DeepSeek-R1 and distills,
                // Phi-4-reasoning, SmolLM3
  kQwen3,       // <think> + <tool_call>{json}</tool_call>: Qwen3, QwQ
  kHermes,      // <tool_call>{json}</tool_call>: Hermes 2/3, Qwen2.5
  kQwen3Coder,  // <tool_call><function=…><parameter=…>: Qwen3-Coder (no reasoning)
  kQwen35,      // <think> + the Qwen3-Coder XML calls: Qwen3.5
  kNemotronH,   // <think> + XML calls: NVIDIA Nemotron 3 Nano (Nemotron-H)
  kLfm2,        // <think> + <|tool_call_start|>[name(arg=value)]<|tool_call_end|>: LFM2, LFM2.5
  kLlama3,      // {"name": …, "parameters": {…}} as the whole message: Llama 3.1/3.2/3.3
  kGemma4,      // <|channel>thought…<channel|> + <|tool_call>call:name{…}<tool_call|>
  kGptOss,      // Harmony channels: analysis / commentary to=functions.x / final
  kCount,
};

// How a tool call's body is written (see tool_syntax.h for each parser).
enum class ToolFormat : uint8_t {
  kNone,         // the family has no tool-call syntax
  kHermesJson,   // {"name": "f", "arguments": {...}}
  kXmlFunction,  // <function=f><parameter=p>\nvalue\n</parameter></function>
  kPythonic,     // [f(a="x", b=1), g()]
  kLlama3Json,   // {"name": "f", "parameters": {...}}, optionally after <|python_tag|>
  kGemma4,       // call:f{a:<|"|>x<|"|>,b:1}
  kHarmony,      // header names the function; the body is the JSON arguments
  kDeepSeekR1,   // function<｜tool▁sep｜>f\n```json\n{...}\n```
};

// Whether a tool call's open/close markers are part of the text handed to the
// body parser (kInclude: "<function=" opens and is needed to parse the name).
enum class DelimText : uint8_t { kBodyOnly, kInclude };

struct ToolDelim {
  std::string_view open;   // "<tool_call>"; empty marks an unused slot
  std::string_view close;  // "</tool_call>"
  DelimText text = DelimText::kBodyOnly;
};

// Whether a tool-call open marker seen inside a reasoning block also ends the
// block (Qwen3-Coder-style models sometimes call a tool without </think>).
enum class ToolEndsReasoning : uint8_t { kNo, kYes };

// What a model does when the request says nothing about thinking.
enum class ThinkingDefault : uint8_t {
  kNever,  // the family has no reasoning block
  kOn,     // thinks unless turned off
  kOff,    // thinks only when turned on (Gemma 4)
};

// How a request turns thinking off (docs/reasoning.md).
enum class ThinkingSwitch : uint8_t {
  kNone,           // nothing to turn off
  kTemplateKwarg,  // render the template with kwarg = kwarg_off (enable_thinking=false);
                   // if the template does not read the kwarg, append off_prefill instead
  kEffortKwarg,    // kwarg lowers the effort (gpt-oss reasoning_effort); appending
                   // off_prefill skips the analysis channel entirely
  kPrefill,        // no template switch: append off_prefill to the rendered prompt
};

// Reasoning control for the generation loop (issue 5, point 5). All strings
// are literal text to tokenize with special tokens parsed.
struct ReasoningControl {
  ThinkingDefault default_state = ThinkingDefault::kNever;
  ThinkingSwitch off_switch = ThinkingSwitch::kNone;
  std::string_view kwarg;      // template variable: "enable_thinking", "reasoning_effort"
  std::string_view kwarg_on;   // its value as a JSON literal: "true", "\"medium\""
  std::string_view kwarg_off;  // "false", "\"low\""
  // Forced into the output when the thinking budget is spent inside a
  // reasoning block; the model then goes on to answer.
  std::string_view budget_close;
  // Appended after the generation prompt (which must not itself be inside a
  // reasoning block; see thinking_off_suffix) to make the model answer at once.
  std::string_view off_prefill;
};

inline constexpr size_t kMaxToolDelims = 2;
inline constexpr size_t kMaxDropMarkers = 6;

struct FamilySpec {
  Family family = Family::kPlain;
  std::string_view name;    // canonical name for family_from_name / --chat-format
  std::string_view models;  // who writes this way (documentation)
  std::string_view reasoning_open;   // "" when the family has no reasoning block
  std::string_view reasoning_close;
  ToolFormat tool_format = ToolFormat::kNone;
  std::array<ToolDelim, kMaxToolDelims> tool_delims{};  // unused slots have open == ""
  ToolEndsReasoning tool_ends_reasoning = ToolEndsReasoning::kNo;
  // Texts dropped from the output wherever they appear: end-of-turn tokens a
  // caller may pass through (special tokens shown) and wrappers around a list
  // of calls. Inside a tool call they end the call. Unused slots "".
  std::array<std::string_view, kMaxDropMarkers> drop_markers{};
  ReasoningControl control;
};

// The table entry of `family` (static storage; never fails for a valid enum).
const FamilySpec& family_spec(Family family);
// All entries, in Family order.
std::span<const FamilySpec> all_families();
std::string_view to_string(Family family);

// The family whose name (FamilySpec::name, case-sensitive) is `name`, or
// nullopt. family_from_name_or_throw throws Error(kInvalidArgument) naming the
// value and listing the known names.
std::optional<Family> family_from_name(std::string_view name);
Family family_from_name_or_throw(std::string_view name);

// Picks the family from a chat template's Jinja source by its distinctive
// markers (one ordered table in family.cpp; first row whose markers all occur
// wins). Templates with none of the markers give kPlain.
Family detect_family(std::string_view template_source);

// Where generated text starts, relative to the family's syntax.
enum class StartState : uint8_t {
  kMessageStart,  // a fresh assistant message (gpt-oss: its header comes first)
  kReasoning,     // inside a reasoning block the prompt opened (<think>\n)
  kContent,       // inside the answer (gpt-oss: after <|channel|>final<|message|>)
};

// The start state implied by a rendered prompt: kReasoning when the prompt
// leaves a reasoning block open (its last open marker comes after its last
// close marker and no end-of-turn marker follows it, as Qwen3.5, DeepSeek-R1
// and Nemotron templates do with thinking on), for gpt-oss also kContent after
// a final-channel header; kMessageStart otherwise.
StartState detect_start_state(Family family, std::string_view rendered_prompt);

// Text to append to `rendered_prompt` so that the model answers without
// thinking: budget_close when the prompt leaves a reasoning block open, ""
// when the prompt already ends with a closed block (the template honoured
// enable_thinking=false) or in the answer, otherwise off_prefill; "" for
// families without reasoning.
std::string thinking_off_suffix(Family family, std::string_view rendered_prompt);

}  // namespace hako::chat
