// ChatSession: render -> tokenize -> prefix-reusing prompt -> sample -> parse.
#include "runtime/chat_session.h"

#include <algorithm>
#include <chrono>

#include "base/error.h"
#include "chat/chat_template.h"
#include "chat/parse/output_parser.h"
#include "tokenizer/stream_decoder.h"

namespace hako {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

jinja::Options chat_template_options() {
  jinja::Options o;
  o.sandbox = jinja::Sandbox::kMutable;  // as llama.cpp: templates may list.append (Kimi-K2)
  return o;
}

}  // namespace

ChatSession::ChatSession(Context& ctx, const tokenizer::Tokenizer& tok,
                         const std::string& template_source, ChatOptions options)
    : session_(ctx),
      tok_(&tok),
      tmpl_(jinja::Template::parse_or_throw(template_source, chat_template_options())),
      options_(std::move(options)),
      family_(options_.chat_format.empty() ? chat::detect_family(template_source)
                                           : chat::family_from_name_or_throw(options_.chat_format)),
      sampler_(std::make_unique<Sampler>(options_.sampling, ctx.n_vocab())) {}

void ChatSession::set_system(std::string text) { system_ = std::move(text); }

void ChatSession::reset() {
  messages_ = nlohmann::ordered_json::array();
  session_.clear();
  sampler_->reset();
}

std::string ChatSession::render_prompt() const {
  chat::ChatInputs in;
  if (!system_.empty()) in.messages.push_back({{"role", "system"}, {"content", system_}});
  for (const auto& m : messages_) in.messages.push_back(m);
  in.add_generation_prompt = true;
  auto token_str = [&](int32_t id) { return id >= 0 ? std::string(tok_->token_text(id)) : std::string(); };
  in.extra["bos_token"] = token_str(tok_->bos());
  in.extra["eos_token"] = token_str(tok_->eos());
  const chat::ReasoningControl& rc = chat::family_spec(family_).control;
  if (!rc.kwarg.empty() && options_.thinking != Thinking::kModelDefault) {
    const std::string_view lit = options_.thinking == Thinking::kOn ? rc.kwarg_on : rc.kwarg_off;
    in.extra[std::string(rc.kwarg)] = nlohmann::ordered_json::parse(lit);
  }
  std::string prompt = chat::render_chat_or_throw(tmpl_, in);
  if (options_.thinking == Thinking::kOff) prompt += chat::thinking_off_suffix(family_, prompt);
  return prompt;
}

std::vector<int32_t> ChatSession::tokenize_prompt(const std::string& text) const {
  std::vector<int32_t> ids = tok_->encode(text, {.parse_special = tokenizer::ParseSpecial::kYes});
  // Templates usually write bos_token themselves; add it only when missing.
  if (tok_->add_bos() && tok_->bos() >= 0 && (ids.empty() || ids.front() != tok_->bos()))
    ids.insert(ids.begin(), tok_->bos());
  return ids;
}

ReplyStats ChatSession::reply(const std::string& user_text,
                              const std::function<void(const chat::ChatEvent&)>& on_event,
                              const std::atomic<bool>* interrupt) {
  messages_.push_back({{"role", "user"}, {"content", user_text}});
  ReplyStats st;
  std::string prompt;
  std::vector<int32_t> ids;
  std::span<const float> logits;
  try {
    prompt = render_prompt();
    ids = tokenize_prompt(prompt);
    Context& ctx = session_.context();
    if (static_cast<int64_t>(ids.size()) >= ctx.n_ctx())
      throw Error(ErrorKind::kLimit, "the conversation has " + std::to_string(ids.size()) +
                                         " tokens but the context holds " + std::to_string(ctx.n_ctx()) +
                                         " (use /reset or a larger -c)");
    logits = session_.feed_prompt(ids, st.gen);
  } catch (...) {
    messages_.erase(messages_.end() - 1);
    throw;
  }
  chat::OutputParser parser(family_, {.start = chat::detect_start_state(family_, prompt)});
  tokenizer::StreamDecoder stream(*tok_, {.special = tokenizer::SpecialTokens::kShow});
  std::vector<chat::ChatEvent> events;
  auto emit = [&](std::string_view text) {
    events.clear();
    parser.push(text, events);
    for (const auto& e : events) on_event(e);
  };
  for (int32_t id : ids) sampler_->accept(id);
  Context& ctx = session_.context();
  const auto t0 = std::chrono::steady_clock::now();
  const std::string_view budget_close = chat::family_spec(family_).control.budget_close;
  while (options_.n_predict < 0 || st.gen.n_gen < options_.n_predict) {
    if (interrupt && interrupt->load(std::memory_order_relaxed)) {
      st.interrupted = true;
      break;
    }
    const int32_t id = sampler_->sample(logits.data());
    sampler_->accept(id);
    ++st.gen.n_gen;
    if (tok_->is_eog(id)) {
      st.gen.hit_stop = true;
      break;
    }
    if (parser.phase() == chat::Phase::kReasoning) ++st.n_reasoning_tokens;
    emit(stream.push(id));
    if (ctx.n_past() + 1 >= ctx.n_ctx()) {
      st.gen.context_full = true;
      break;
    }
    logits = session_.feed_token(id);
    if (options_.thinking_budget >= 0 && !st.budget_closed && !budget_close.empty() &&
        parser.phase() == chat::Phase::kReasoning && st.n_reasoning_tokens >= options_.thinking_budget) {
      // Close the reasoning block ourselves; the model continues with the answer.
      emit(stream.flush());
      const std::vector<int32_t> close =
          tok_->encode(budget_close, {.parse_special = tokenizer::ParseSpecial::kYes});
      if (ctx.n_past() + static_cast<int64_t>(close.size()) + 1 >= ctx.n_ctx()) {
        st.gen.context_full = true;
        break;
      }
      for (int32_t c : close) {
        logits = session_.feed_token(c);
        sampler_->accept(c);
      }
      emit(budget_close);
      st.budget_closed = true;
    }
  }
  emit(stream.flush());
  events.clear();
  parser.finish(events);
  for (const auto& e : events) on_event(e);
  st.gen.gen_seconds = seconds_since(t0);
  const chat::ParsedOutput& out = parser.result();
  nlohmann::ordered_json msg = {{"role", "assistant"}, {"content", out.content}};
  if (!out.reasoning.empty()) msg["reasoning_content"] = out.reasoning;
  if (!out.tool_calls.empty()) {
    msg["tool_calls"] = nlohmann::ordered_json::array();
    for (const auto& c : out.tool_calls)
      msg["tool_calls"].push_back({{"id", c.id}, {"type", "function"},
                                   {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
  }
  messages_.push_back(std::move(msg));
  return st;
}

}  // namespace hako
