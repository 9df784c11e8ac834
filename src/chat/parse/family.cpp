// The family table (see family.h): every format fact the output parser and
// the reasoning controls use lives in kFamilies and kDetectRows below. The
// markers were read from the models' chat templates in
// ../shared/testdata/templates (how history messages are rendered is how the
// model was trained to write them).
#include "chat/parse/family.h"

#include <algorithm>

#include "base/error.h"

namespace hako::chat {
namespace {

constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";

// Stop markers shared by the ChatML families (<|im_start|>role ... <|im_end|>).
constexpr std::array<std::string_view, kMaxDropMarkers> kChatMlDrops = {"<|im_end|>",
                                                                        "<|endoftext|>"};

constexpr ReasoningControl kNoReasoning{};

// Qwen-style thinking: the templates render history as
// "<think>\n" + reasoning + "\n</think>\n\n" + content and write
// "<think>\n\n</think>\n\n" for enable_thinking=false.
constexpr ReasoningControl kQwenThinking{
    .default_state = ThinkingDefault::kOn,
    .off_switch = ThinkingSwitch::kTemplateKwarg,
    .kwarg = "enable_thinking",
    .kwarg_on = "true",
    .kwarg_off = "false",
    .budget_close = "\n</think>\n\n",
    .off_prefill = "<think>\n\n</think>\n\n",
};

constexpr ToolDelim kToolCallTag{"<tool_call>", "</tool_call>", DelimText::kBodyOnly};
// Qwen3-Coder-style models sometimes leave out <tool_call> (llama.cpp
// accepts a bare <function=…> block for the same reason).
constexpr ToolDelim kBareFunction{"<function=", "</function>", DelimText::kInclude};

constexpr std::array<FamilySpec, size_t(Family::kCount)> kFamilies = {{
    {
        .family = Family::kPlain,
        .name = "plain",
        .models = "any model without reasoning or tool-call syntax",
        .drop_markers = {"<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>",
                         "<|end_of_text|>"},
        .control = kNoReasoning,
    },
    {
        .family = Family::kThink,
        .name = "think",
        .models = "DeepSeek-R1 and its distills, Phi-4-reasoning, SmolLM3",
        .reasoning_open = kThinkOpen,
        .reasoning_close = kThinkClose,
        .tool_format = ToolFormat::kDeepSeekR1,
        .tool_delims = {ToolDelim{"<｜tool▁call▁begin｜>", "<｜tool▁call▁end｜>"}},
        .drop_markers = {"<｜end▁of▁sentence｜>", "<｜tool▁calls▁begin｜>",
                         "<｜tool▁calls▁end｜>", "<|im_end|>", "<|endoftext|>", "<|end|>"},
        .control = kQwenThinking,
    },
    {
        .family = Family::kQwen3,
        .name = "qwen3",
        .models = "Qwen3, QwQ",
        .reasoning_open = kThinkOpen,
        .reasoning_close = kThinkClose,
        .tool_format = ToolFormat::kHermesJson,
        .tool_delims = {kToolCallTag},
        .drop_markers = kChatMlDrops,
        .control = kQwenThinking,
    },
    {
        .family = Family::kHermes,
        .name = "hermes",
        .models = "Hermes 2 Pro, Hermes 3, Qwen2.5",
        .tool_format = ToolFormat::kHermesJson,
        .tool_delims = {kToolCallTag},
        .drop_markers = {"<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>"},
        .control = kNoReasoning,
    },
    {
        .family = Family::kQwen3Coder,
        .name = "qwen3-coder",
        .models = "Qwen3-Coder",
        .tool_format = ToolFormat::kXmlFunction,
        .tool_delims = {kToolCallTag, kBareFunction},
        .tool_ends_reasoning = ToolEndsReasoning::kYes,
        .drop_markers = kChatMlDrops,
        .control = kNoReasoning,
    },
    {
        .family = Family::kQwen35,
        .name = "qwen3.5",
        .models = "Qwen3.5",
        .reasoning_open = kThinkOpen,
        .reasoning_close = kThinkClose,
        .tool_format = ToolFormat::kXmlFunction,
        .tool_delims = {kToolCallTag, kBareFunction},
        .tool_ends_reasoning = ToolEndsReasoning::kYes,
        .drop_markers = kChatMlDrops,
        .control = kQwenThinking,
    },
    {
        .family = Family::kNemotronH,
        .name = "nemotron-h",
        .models = "NVIDIA Nemotron 3 Nano (Nemotron-H)",
        .reasoning_open = kThinkOpen,
        .reasoning_close = kThinkClose,
        .tool_format = ToolFormat::kXmlFunction,
        .tool_delims = {kToolCallTag, kBareFunction},
        .tool_ends_reasoning = ToolEndsReasoning::kYes,
        .drop_markers = kChatMlDrops,
        // History: "<think>\n" + reasoning + "\n</think>\n"; off: "<think></think>".
        .control = {.default_state = ThinkingDefault::kOn,
                    .off_switch = ThinkingSwitch::kTemplateKwarg,
                    .kwarg = "enable_thinking",
                    .kwarg_on = "true",
                    .kwarg_off = "false",
                    .budget_close = "\n</think>\n",
                    .off_prefill = "<think></think>"},
    },
    {
        .family = Family::kLfm2,
        .name = "lfm2",
        .models = "LFM2, LFM2.5",
        .reasoning_open = kThinkOpen,
        .reasoning_close = kThinkClose,
        .tool_format = ToolFormat::kPythonic,
        .tool_delims = {ToolDelim{"<|tool_call_start|>", "<|tool_call_end|>"}},
        .drop_markers = kChatMlDrops,
        // The LFM2 templates have no thinking switch.
        .control = {.default_state = ThinkingDefault::kOn,
                    .off_switch = ThinkingSwitch::kPrefill,
                    .budget_close = "\n</think>\n\n",
                    .off_prefill = "<think>\n\n</think>\n\n"},
    },
    {
        .family = Family::kLlama3,
        .name = "llama3",
        .models = "Llama 3.1, 3.2, 3.3",
        .tool_format = ToolFormat::kLlama3Json,
        .drop_markers = {"<|eot_id|>", "<|eom_id|>", "<|end_of_text|>"},
        .control = kNoReasoning,
    },
    {
        .family = Family::kGemma4,
        .name = "gemma4",
        .models = "Gemma 4",
        .reasoning_open = "<|channel>thought",
        .reasoning_close = "<channel|>",
        .tool_format = ToolFormat::kGemma4,
        .tool_delims = {ToolDelim{"<|tool_call>", "<tool_call|>"}},
        // After a call the template writes <|tool_response>: the model stops there.
        .drop_markers = {"<turn|>", "<|tool_response>", "<end_of_turn>"},
        // History: "<|channel>thought\n" + reasoning + "\n<channel|>"; thinking is
        // on only with enable_thinking=true (<|think|> in the system turn).
        .control = {.default_state = ThinkingDefault::kOff,
                    .off_switch = ThinkingSwitch::kTemplateKwarg,
                    .kwarg = "enable_thinking",
                    .kwarg_on = "true",
                    .kwarg_off = "false",
                    .budget_close = "\n<channel|>",
                    .off_prefill = "<|channel>thought\n<channel|>"},
    },
    {
        .family = Family::kGptOss,
        .name = "gpt-oss",
        .models = "gpt-oss (Harmony format)",
        .reasoning_open = "<|channel|>analysis<|message|>",
        .reasoning_close = "<|end|>",
        .tool_format = ToolFormat::kHarmony,
        .control = {.default_state = ThinkingDefault::kOn,
                    .off_switch = ThinkingSwitch::kEffortKwarg,
                    .kwarg = "reasoning_effort",
                    .kwarg_on = "\"medium\"",
                    .kwarg_off = "\"low\"",
                    .budget_close = "<|end|><|start|>assistant<|channel|>final<|message|>",
                    .off_prefill = "<|channel|>final<|message|>"},
    },
}};

static_assert([] {
  for (size_t i = 0; i < kFamilies.size(); ++i) {
    if (size_t(kFamilies[i].family) != i) return false;
  }
  return true;
}());

// Template detection: the first row whose markers all occur in the source
// wins, so more specific rows come first (Nemotron before Qwen3.5 before
// Qwen3-Coder; Hermes, whose templates also say "parameters", before Llama 3).
struct DetectRow {
  Family family;
  std::array<std::string_view, 3> all_of;  // unused slots ""
};

constexpr DetectRow kDetectRows[] = {
    {Family::kGptOss, {"<|channel|>", "<|message|>"}},
    {Family::kGemma4, {"<|tool_call>call:"}},
    {Family::kGemma4, {"<|channel>thought"}},
    {Family::kLfm2, {"<|tool_list_start|>"}},
    {Family::kLfm2, {"<|tool_call_start|>"}},
    {Family::kLfm2, {"List of tools: ["}},
    {Family::kNemotronH, {"<function=", "<parameter=", "truncate_history_thinking"}},
    {Family::kQwen35, {"<function=", "<parameter=", "<think>"}},
    {Family::kQwen3Coder, {"<tool_call>", "<function=", "<parameter="}},
    {Family::kQwen3, {"<tool_call>", "<think>"}},
    {Family::kHermes, {"<tool_call>"}},
    {Family::kLlama3, {"<|python_tag|>"}},
    {Family::kLlama3, {"<|start_header_id|>", "\"parameters\""}},
    {Family::kThink, {"<think>"}},
};

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

std::string_view rtrim_ws(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

StartState harmony_start_state(std::string_view prompt) {
  const size_t msg = prompt.rfind("<|message|>");
  if (msg == std::string_view::npos) return StartState::kMessageStart;
  for (std::string_view end : {"<|end|>", "<|return|>", "<|call|>", "<|start|>"}) {
    const size_t at = prompt.rfind(end);
    if (at != std::string_view::npos && at > msg) return StartState::kMessageStart;
  }
  const size_t chan = prompt.rfind("<|channel|>", msg);
  if (chan == std::string_view::npos) return StartState::kContent;
  std::string_view header = prompt.substr(chan, msg - chan);
  return contains(header, "<|channel|>analysis") ? StartState::kReasoning : StartState::kContent;
}

}  // namespace

const FamilySpec& family_spec(Family family) {
  const auto idx = static_cast<size_t>(family);
  HAKO_ASSERT(idx < kFamilies.size());
  return kFamilies[idx];
}

std::span<const FamilySpec> all_families() { return kFamilies; }

std::string_view to_string(Family family) {
  const auto idx = static_cast<size_t>(family);
  return idx < kFamilies.size() ? kFamilies[idx].name : "unknown";
}

std::optional<Family> family_from_name(std::string_view name) {
  for (const FamilySpec& spec : kFamilies) {
    if (spec.name == name) return spec.family;
  }
  return std::nullopt;
}

Family family_from_name_or_throw(std::string_view name) {
  if (auto f = family_from_name(name)) return *f;
  std::string known;
  for (const FamilySpec& spec : kFamilies) {
    if (!known.empty()) known += ", ";
    known += spec.name;
  }
  throw Error(ErrorKind::kInvalidArgument,
              "unknown chat output format '" + std::string(name) + "' (expected one of: " + known +
                  ")");
}

Family detect_family(std::string_view template_source) {
  for (const DetectRow& row : kDetectRows) {
    const bool all = std::all_of(row.all_of.begin(), row.all_of.end(), [&](std::string_view m) {
      return m.empty() || contains(template_source, m);
    });
    if (all) return row.family;
  }
  return Family::kPlain;
}

StartState detect_start_state(Family family, std::string_view rendered_prompt) {
  if (family == Family::kGptOss) return harmony_start_state(rendered_prompt);
  const FamilySpec& spec = family_spec(family);
  if (spec.reasoning_open.empty()) return StartState::kMessageStart;
  const size_t open = rendered_prompt.rfind(spec.reasoning_open);
  if (open == std::string_view::npos) return StartState::kMessageStart;
  const size_t close = rendered_prompt.rfind(spec.reasoning_close);
  if (close != std::string_view::npos && close > open) return StartState::kMessageStart;
  for (std::string_view stop : spec.drop_markers) {
    if (!stop.empty() && rendered_prompt.find(stop, open) != std::string_view::npos) {
      return StartState::kMessageStart;
    }
  }
  return StartState::kReasoning;
}

std::string thinking_off_suffix(Family family, std::string_view rendered_prompt) {
  const ReasoningControl& control = family_spec(family).control;
  if (control.default_state == ThinkingDefault::kNever) return {};
  switch (detect_start_state(family, rendered_prompt)) {
    case StartState::kReasoning: {
      // Close the block the prompt opened; drop the close's own leading
      // newline when the prompt already ends in whitespace.
      std::string_view close = control.budget_close;
      if (rtrim_ws(rendered_prompt).size() != rendered_prompt.size()) {
        while (!close.empty() && close.front() == '\n') close.remove_prefix(1);
      }
      return std::string(close);
    }
    case StartState::kContent:
      return {};
    case StartState::kMessageStart:
      break;
  }
  // The template already wrote an empty block (enable_thinking=false).
  const std::string_view close = family_spec(family).reasoning_close;
  if (!close.empty() && rtrim_ws(rendered_prompt).ends_with(close)) return {};
  return std::string(control.off_prefill);
}

}  // namespace hako::chat
