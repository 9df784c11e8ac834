// Chat prompt rendering (see chat_template.h).
#include "chat/chat_template.h"

#include "base/error.h"

namespace hako::chat {

ChatInputs chat_inputs_from_json_or_throw(const nlohmann::ordered_json& obj) {
  if (!obj.is_object()) throw Error(ErrorKind::kInvalidArgument, "chat input must be a JSON object");
  ChatInputs in;
  for (const auto& [key, value] : obj.items()) {
    if (key == "messages") {
      if (!value.is_array()) throw Error(ErrorKind::kInvalidArgument, "chat input: 'messages' must be an array");
      in.messages = value;
    } else if (key == "tools") {
      if (!value.is_null() && !value.is_array()) {
        throw Error(ErrorKind::kInvalidArgument, "chat input: 'tools' must be an array or null");
      }
      in.tools = value;
    } else if (key == "add_generation_prompt") {
      if (!value.is_boolean()) {
        throw Error(ErrorKind::kInvalidArgument, "chat input: 'add_generation_prompt' must be true or false");
      }
      in.add_generation_prompt = value.get<bool>();
    } else if (key == "extra") {
      if (!value.is_object()) throw Error(ErrorKind::kInvalidArgument, "chat input: 'extra' must be an object");
      for (const auto& [k, v] : value.items()) in.extra[k] = v;
    } else if (key != "case" && key != "output" && key != "error" && key != "output_mutable_sandbox") {
      in.extra[key] = value;
    }
  }
  return in;
}

std::string render_chat_or_throw(const jinja::Template& tmpl, const ChatInputs& inputs) {
  nlohmann::ordered_json context = nlohmann::ordered_json::object();
  context["messages"] = inputs.messages;
  context["tools"] = inputs.tools;
  context["add_generation_prompt"] = inputs.add_generation_prompt;
  for (const auto& [k, v] : inputs.extra.items()) context[k] = v;
  return tmpl.render_or_throw(context);
}

}  // namespace hako::chat
