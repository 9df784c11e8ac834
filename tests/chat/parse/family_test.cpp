// Tests of the family table: template detection over the real templates in
// testdata, names, the start state implied by real rendered prompts
// (templates/expected/*.jsonl), and that each family's reasoning-control
// texts (budget close, thinking-off prefill) do what they claim when run
// through the parser.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "chat/parse/output_parser.h"
#include "support/testdata.h"

namespace hako::chat {
namespace {

std::string template_source(const std::string& name) {
  return test::read_file(test::testdata_path("templates/" + name + ".jinja"));
}

// The rendered prompt of one case of a template's expected file.
std::string rendered(const std::string& name, const std::string& case_name) {
  std::ifstream in(test::testdata_path("templates/expected/" + name + ".jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    auto c = nlohmann::json::parse(line);
    if (c["case"] == case_name) return c.at("output").get<std::string>();
  }
  ADD_FAILURE() << "no case " << case_name << " in " << name;
  return {};
}

TEST(Family, DetectFromRealTemplates) {
  const std::map<std::string, Family> want = {
      {"openai-gpt-oss-120b", Family::kGptOss},
      {"google-gemma-4-31B-it", Family::kGemma4},
      {"google-gemma-4-31B-it-interleaved", Family::kGemma4},
      {"ollama-gemma4_e2b_chat_template", Family::kGemma4},
      {"ollama-gemma4_31b_chat_template", Family::kGemma4},
      {"LFM2-8B-A1B", Family::kLfm2},
      {"LFM2.5-Instruct", Family::kLfm2},
      {"NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", Family::kNemotronH},
      {"ollama-nemotron3nano_chat_template", Family::kNemotronH},
      {"Qwen3.5-4B", Family::kQwen35},
      {"ollama-qwen38_chat_template", Family::kQwen35},
      {"Qwen3-Coder", Family::kQwen3Coder},
      {"Qwen-Qwen3-0.6B", Family::kQwen3},
      {"Qwen-QwQ-32B", Family::kQwen3},
      {"Qwen-Qwen2.5-7B-Instruct", Family::kHermes},
      {"NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use", Family::kHermes},
      {"NousResearch-Hermes-3-Llama-3.1-8B-tool_use", Family::kHermes},
      {"meta-llama-Llama-3.1-8B-Instruct", Family::kLlama3},
      {"meta-llama-Llama-3.2-3B-Instruct", Family::kLlama3},
      {"meta-llama-Llama-3.3-70B-Instruct", Family::kLlama3},
      {"deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", Family::kThink},
      {"deepseek-ai-DeepSeek-R1-Distill-Llama-8B", Family::kThink},
      {"llama-cpp-deepseek-r1", Family::kThink},
      {"HuggingFaceTB-SmolLM3-3B", Family::kThink},
      {"microsoft-Phi-3.5-mini-instruct", Family::kPlain},
      {"google-gemma-2-2b-it", Family::kPlain},
      {"mistralai-Mistral-Nemo-Instruct-2407", Family::kPlain},
  };
  for (const auto& [name, family] : want) {
    EXPECT_EQ(to_string(detect_family(template_source(name))), to_string(family)) << name;
  }
  EXPECT_EQ(detect_family(""), Family::kPlain);
}

TEST(Family, Names) {
  for (const FamilySpec& spec : all_families()) {
    EXPECT_EQ(family_from_name(spec.name), spec.family);
    EXPECT_EQ(family_from_name_or_throw(spec.name), spec.family);
    EXPECT_EQ(to_string(spec.family), spec.name);
  }
  EXPECT_FALSE(family_from_name("qwen4"));
  try {
    family_from_name_or_throw("qwen4");
    ADD_FAILURE() << "no throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("'qwen4'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("gpt-oss"), std::string::npos);
  }
}

TEST(Family, TableIsConsistent) {
  for (const FamilySpec& spec : all_families()) {
    SCOPED_TRACE(std::string(spec.name));
    const ReasoningControl& c = spec.control;
    const bool reasons = !spec.reasoning_open.empty();
    EXPECT_EQ(reasons, !spec.reasoning_close.empty());
    EXPECT_EQ(reasons, c.default_state != ThinkingDefault::kNever);
    EXPECT_EQ(reasons, !c.budget_close.empty());
    EXPECT_EQ(reasons, !c.off_prefill.empty());
    EXPECT_EQ(c.off_switch == ThinkingSwitch::kNone, !reasons);
    const bool kwarg = c.off_switch == ThinkingSwitch::kTemplateKwarg ||
                       c.off_switch == ThinkingSwitch::kEffortKwarg;
    EXPECT_EQ(kwarg, !c.kwarg.empty());
    if (kwarg) {
      EXPECT_TRUE(nlohmann::json::accept(c.kwarg_on));
      EXPECT_TRUE(nlohmann::json::accept(c.kwarg_off));
    }
    const bool has_tools = spec.tool_format != ToolFormat::kNone;
    const bool delims = !spec.tool_delims[0].open.empty();
    EXPECT_EQ(delims, has_tools && spec.tool_format != ToolFormat::kHarmony &&
                          spec.tool_format != ToolFormat::kLlama3Json);
  }
}

TEST(Family, StartStateFromRenderedPrompts) {
  struct Row {
    std::string tmpl, case_name;
    Family family;
    StartState want;
  };
  const Row rows[] = {
      {"Qwen3.5-4B", "c-gen-true", Family::kQwen35, StartState::kReasoning},
      {"Qwen3.5-4B", "d-thinking-off", Family::kQwen35, StartState::kMessageStart},
      {"Qwen-Qwen3-0.6B", "c-gen-true", Family::kQwen3, StartState::kMessageStart},
      {"NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", "c-gen-true", Family::kNemotronH, StartState::kReasoning},
      {"NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", "d-thinking-off", Family::kNemotronH,
       StartState::kMessageStart},
      {"deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "c-gen-true", Family::kThink, StartState::kReasoning},
      {"deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", "d-thinking-off", Family::kThink,
       StartState::kMessageStart},
      {"google-gemma-4-31B-it", "c-gen-true", Family::kGemma4, StartState::kMessageStart},
      {"openai-gpt-oss-120b", "c-gen-true", Family::kGptOss, StartState::kMessageStart},
      {"Qwen-Qwen3-0.6B", "d-reasoning-last", Family::kQwen3, StartState::kMessageStart},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(int(detect_start_state(r.family, rendered(r.tmpl, r.case_name))), int(r.want))
        << r.tmpl << " " << r.case_name;
  }
  EXPECT_EQ(detect_start_state(Family::kGemma4, "<|turn>model\n<|channel>thought\n"),
            StartState::kReasoning);
  EXPECT_EQ(detect_start_state(Family::kGptOss, "<|start|>assistant<|channel|>analysis<|message|>"),
            StartState::kReasoning);
  EXPECT_EQ(detect_start_state(Family::kGptOss, "<|start|>assistant<|channel|>final<|message|>"),
            StartState::kContent);
  EXPECT_EQ(detect_start_state(Family::kQwen3, "system: use <think> tags<|im_end|>\n"),
            StartState::kMessageStart);
}

// After the prompt plus thinking_off_suffix, the model's answer parses as content only.
TEST(Family, ThinkingOffSuffixOnRealPrompts) {
  struct Row {
    std::string tmpl, case_name;
    Family family;
  };
  const Row rows[] = {
      {"Qwen3.5-4B", "d-thinking-off", Family::kQwen35},          // template honoured the kwarg
      {"Qwen3.5-4B", "c-gen-true", Family::kQwen35},              // block open: close it
      {"Qwen-Qwen3-0.6B", "c-gen-true", Family::kQwen3},          // nothing open: empty block
      {"NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", "c-gen-true", Family::kNemotronH},
      {"deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "d-thinking-off", Family::kThink},  // ignores kwarg
      {"google-gemma-4-31B-it", "c-gen-true", Family::kGemma4},
      {"ollama-gemma4_e2b_chat_template", "d-thinking-off", Family::kGemma4},
      {"openai-gpt-oss-120b", "d-thinking-off", Family::kGptOss},
      {"LFM2.5-Instruct", "c-gen-true", Family::kLfm2},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.tmpl + " " + r.case_name);
    const std::string prompt = rendered(r.tmpl, r.case_name);
    const std::string suffix = thinking_off_suffix(r.family, prompt);
    const std::string full = prompt + suffix;
    EXPECT_NE(detect_start_state(r.family, full), StartState::kReasoning);
    // The suffix is what the model would otherwise have generated: parsing it
    // plus an answer from the prompt's start state gives no reasoning.
    ParseOptions o;
    o.start = detect_start_state(r.family, prompt);
    ParsedOutput out = parse_output(r.family, suffix + "Answer.", o);
    EXPECT_EQ(out.reasoning, "");
    EXPECT_EQ(out.content, "Answer.");
    EXPECT_EQ(out.n_malformed, 0);
  }
  EXPECT_EQ(thinking_off_suffix(Family::kHermes, "anything"), "");
  EXPECT_EQ(thinking_off_suffix(Family::kQwen3, "x<think>\n"), "</think>\n\n");
}

// Forcing budget_close in the middle of a thought ends the reasoning and the
// model's continuation is the answer.
TEST(Family, BudgetCloseEndsReasoning) {
  for (const FamilySpec& spec : all_families()) {
    if (spec.control.budget_close.empty()) continue;
    SCOPED_TRACE(std::string(spec.name));
    ParseOptions o;
    o.start = StartState::kReasoning;
    OutputParser p(spec.family, o);
    std::vector<ChatEvent> ev;
    p.push("Thinking for a long time", ev);
    EXPECT_EQ(p.phase(), Phase::kReasoning);
    p.push(spec.control.budget_close, ev);
    EXPECT_NE(p.phase(), Phase::kReasoning);
    p.push("The answer.", ev);
    p.finish(ev);
    EXPECT_EQ(p.result().reasoning, "Thinking for a long time");
    EXPECT_EQ(p.result().content, "The answer.");
  }
}

}  // namespace
}  // namespace hako::chat
