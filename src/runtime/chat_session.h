// ChatSession: a multi-turn conversation with a model through its own chat
// template — render the messages, evaluate only the part of the prompt the
// session does not already hold, sample the reply, and split it while it
// streams into reasoning, answer and tool calls (chat/parse). Thinking can be
// switched off per turn and given a token budget: when the budget is spent
// inside a reasoning block, the family's closing marker is inserted and the
// model goes on to answer. Used by `hako chat` (and later the server).
// Not thread-safe; one per conversation.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "chat/jinja/template.h"
#include "chat/parse/chat_output.h"
#include "chat/parse/family.h"
#include "runtime/generate.h"
#include "sample/sampler.h"
#include "tokenizer/tokenizer.h"

namespace hako {

enum class Thinking : uint8_t { kModelDefault, kOn, kOff };

struct ChatOptions {
  SamplerOptions sampling;
  int32_t n_predict = -1;          // most tokens per reply; < 0: until end of turn or full context
  Thinking thinking = Thinking::kModelDefault;
  int32_t thinking_budget = -1;    // most reasoning tokens per reply; < 0: unlimited
  std::string chat_format;         // output family name; "" = detect from the template
};

struct ReplyStats {
  GenerateStats gen;
  int32_t n_reasoning_tokens = 0;
  bool budget_closed = false;      // the budget ran out and hako closed the reasoning block
  bool interrupted = false;
};

class ChatSession {
 public:
  // template_source: Jinja chat template (usually tokenizer.chat_template).
  // Throws jinja::TemplateError on a template syntax error.
  ChatSession(Context& ctx, const tokenizer::Tokenizer& tok, const std::string& template_source,
              ChatOptions options);

  void set_system(std::string text);  // "" removes the system message
  void set_thinking(Thinking t) { options_.thinking = t; }
  void set_thinking_budget(int32_t n) { options_.thinking_budget = n; }
  void reset();                       // forget every turn (keeps the system message)
  const nlohmann::ordered_json& messages() const { return messages_; }
  chat::Family family() const { return family_; }

  // Adds the user's message and generates the reply. on_event gets every
  // reasoning/content delta and tool call as it is parsed. Generation stops
  // at end of turn, n_predict, a full context, or when *interrupt becomes
  // true (the partial reply is kept). Errors (template raise, context
  // overflow) leave the conversation without the failed turn.
  ReplyStats reply(const std::string& user_text,
                   const std::function<void(const chat::ChatEvent&)>& on_event,
                   const std::atomic<bool>* interrupt);

 private:
  std::string render_prompt() const;
  std::vector<int32_t> tokenize_prompt(const std::string& text) const;

  Session session_;
  const tokenizer::Tokenizer* tok_;
  jinja::Template tmpl_;
  ChatOptions options_;
  chat::Family family_;
  std::string system_;
  nlohmann::ordered_json messages_ = nlohmann::ordered_json::array();
  std::unique_ptr<Sampler> sampler_;
};

}  // namespace hako
