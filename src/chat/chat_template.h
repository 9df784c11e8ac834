// Rendering a chat prompt the way transformers' apply_chat_template does:
// the template sees `messages`, `tools` (none when absent), 
// `add_generation_prompt` and every extra keyword (bos_token, eos_token,
// enable_thinking, reasoning_effort, documents ...). Also reads the case
// objects of ../shared/testdata/templates/expected/*.jsonl and of
// `hako template --input`.
// Not here: the template language (jinja/), output parsing.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "chat/jinja/template.h"

namespace hako::chat {

struct ChatInputs {
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  nlohmann::ordered_json tools;  // null = no tools (the template still sees `tools`, as none)
  bool add_generation_prompt = true;
  // Extra template variables, e.g. {"bos_token": "<s>", "enable_thinking": false}.
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
};

// Reads {"messages": [...], "tools": [...]|null, "add_generation_prompt":
// bool, "extra": {...}}. Top-level keys other than these (except the test
// case bookkeeping keys case/output/error/output_mutable_sandbox) are extra
// variables too. Throws hako::Error(kInvalidArgument) naming the bad field.
ChatInputs chat_inputs_from_json_or_throw(const nlohmann::ordered_json& obj);

// Renders the prompt. Throws jinja::TemplateError as the template does.
std::string render_chat_or_throw(const jinja::Template& tmpl, const ChatInputs& inputs);

}  // namespace hako::chat
