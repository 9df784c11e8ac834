// Ground-truth round trip: the expected renderings in
// testdata/templates/expected/*.jsonl (made by Python Jinja2 from the
// models' real templates) contain assistant turns with reasoning and tool
// calls written exactly as each model was trained to write them. This test
// cuts those turns out of the rendered prompts, streams them through the
// parser in every split, and checks that the parser gives back the
// reasoning, content and tool calls of the case's own message.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "stream_harness.h"
#include "support/testdata.h"

namespace hako::chat::test {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

struct TemplateRow {
  const char* name;
  Family family;
  const char* opener;                  // starts the assistant turn
  std::vector<std::string_view> closers;  // ends it (kept in the text fed to the parser)
};

const std::vector<TemplateRow>& rows() {
  static const std::vector<TemplateRow> kRows = {
      {"Qwen-Qwen3-0.6B", Family::kQwen3, "<|im_start|>assistant\n", {"<|im_end|>"}},
      {"Qwen3.5-4B", Family::kQwen35, "<|im_start|>assistant\n", {"<|im_end|>"}},
      {"ollama-qwen38_chat_template", Family::kQwen35, "<|im_start|>assistant\n", {"<|im_end|>"}},
      {"Qwen3-Coder", Family::kQwen3Coder, "<|im_start|>assistant\n", {"<|im_end|>"}},
      {"NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", Family::kNemotronH, "<|im_start|>assistant\n",
       {"<|im_end|>"}},
      {"ollama-nemotron3nano_chat_template", Family::kNemotronH, "<|im_start|>assistant\n",
       {"<|im_end|>"}},
      {"openai-gpt-oss-120b", Family::kGptOss, "<|start|>assistant", {"<|return|>", "<|call|>"}},
      {"google-gemma-4-31B-it", Family::kGemma4, "<|turn>model\n", {"<turn|>", "<|tool_response>"}},
      {"google-gemma-4-31B-it-interleaved", Family::kGemma4, "<|turn>model\n",
       {"<turn|>", "<|tool_response>"}},
      {"ollama-gemma4_31b_chat_template", Family::kGemma4, "<|turn>model\n",
       {"<turn|>", "<|tool_response>"}},
      {"meta-llama-Llama-3.2-3B-Instruct", Family::kLlama3,
       "<|start_header_id|>assistant<|end_header_id|>\n\n", {"<|eot_id|>"}},
      {"deepseek-ai-DeepSeek-R1-Distill-Qwen-32B", Family::kThink, "<｜Assistant｜>",
       {"<｜end▁of▁sentence｜>"}},
  };
  return kRows;
}

// The first assistant turn of `prompt` that is closed, closer included.
std::optional<std::string> first_closed_turn(const std::string& prompt, const TemplateRow& row) {
  size_t at = prompt.find(row.opener);
  while (at != std::string::npos) {
    const size_t body = at + std::string_view(row.opener).size();
    size_t end = std::string::npos;
    size_t end_len = 0;
    for (std::string_view c : row.closers) {
      const size_t e = prompt.find(c, body);
      if (e < end) {
        end = e;
        end_len = c.size();
      }
    }
    if (end != std::string::npos) return prompt.substr(body, end + end_len - body);
    at = prompt.find(row.opener, body);
  }
  return std::nullopt;
}

Expected expected_from_message(const json& msg, const std::string& turn) {
  Expected want;
  if (msg.contains("content") && msg["content"].is_string()) want.content = msg["content"];
  if (msg.contains("reasoning_content") && msg["reasoning_content"].is_string()) {
    const std::string r = msg["reasoning_content"];
    if (turn.find(r) != std::string::npos) want.reasoning = r;
  }
  if (msg.contains("tool_calls")) {
    for (const json& tc : msg["tool_calls"]) {
      const json& f = tc.contains("function") ? tc["function"] : tc;
      json args = f["arguments"];
      if (args.is_string()) args = json::parse(args.get<std::string>());
      want.calls.push_back({f["name"].get<std::string>(), ordered_json::parse(args.dump())});
    }
  }
  return want;
}

TEST(TemplateRoundTrip, AssistantTurnsParseBackToTheirMessages) {
  int n_checked = 0;
  for (const TemplateRow& row : rows()) {
    std::ifstream in(hako::test::testdata_path(std::string("templates/expected/") + row.name + ".jsonl"));
    ASSERT_TRUE(in) << row.name;
    std::string line;
    while (std::getline(in, line)) {
      const json c = json::parse(line);
      const std::string case_name = c["case"];
      if (case_name != "d-reasoning-last" && case_name != "e-tools" &&
          case_name != "e-tools-args-string") {
        continue;
      }
      if (!c.contains("output")) continue;  // the reference raised for this case
      const std::string label = std::string(row.name) + " " + case_name;
      auto turn = first_closed_turn(c["output"], row);
      ASSERT_TRUE(turn) << label;
      const json* msg = nullptr;
      for (const json& m : c["messages"]) {
        if (m["role"] == "assistant") msg = &m;
      }
      ASSERT_NE(msg, nullptr) << label;
      Expected want = expected_from_message(*msg, *turn);
      // Argument key order is the template's business (Gemma sorts keys):
      // compare the calls as unordered JSON, and the rest exactly.
      ParsedOutput got = parse_output(row.family, *turn);
      SCOPED_TRACE(label + "\n" + *turn);
      ASSERT_EQ(got.tool_calls.size(), want.calls.size());
      for (size_t i = 0; i < want.calls.size(); ++i) {
        EXPECT_EQ(got.tool_calls[i].name, want.calls[i].name);
        EXPECT_EQ(json::parse(got.tool_calls[i].arguments.dump()),
                  json::parse(want.calls[i].arguments.dump()));
        want.calls[i].arguments = got.tool_calls[i].arguments;
      }
      expect_every_split(row.family, {}, *turn, want);
      ++n_checked;
    }
  }
  // 12 templates x 3 cases, less the cases whose reference raised.
  EXPECT_GE(n_checked, 30);
}

}  // namespace
}  // namespace hako::chat::test
