// TaggedEngine: the state machine for every family whose reasoning and tool
// calls are delimited by marker pairs (<think>…</think>,
// <tool_call>…</tool_call>, <|tool_call>…<tool_call|> …), driven entirely by
// the FamilySpec table. States: content, reasoning, inside a tool call
// (collecting its body until the close marker), and — for Llama 3 — a whole
// message that is a JSON call. Stray close markers and end-of-turn markers
// are dropped; a tool call whose body does not parse is emitted verbatim as
// flagged content.
#include <vector>

#include "chat/parse/format_engine.h"
#include "chat/parse/tool_syntax.h"

namespace hako::chat {
namespace {

enum class Action : uint8_t {
  kOpenReasoning,
  kCloseReasoning,
  kOpenTool,   // arg: index into FamilySpec::tool_delims
  kCloseTool,  // the delimiter's own close marker
  kStopInTool, // an end-of-turn marker before the close: the call ends there
  kPythonTag,  // Llama 3 <|python_tag|>: the rest of the message is a call
  kEndJson,    // end of a Llama 3 JSON message
  kDrop,
};

struct MarkerTable {
  std::vector<std::string_view> texts;
  std::vector<Action> actions;
  std::vector<int> args;

  void add(std::string_view text, Action action, int arg = 0) {
    if (text.empty()) return;
    texts.push_back(text);
    actions.push_back(action);
    args.push_back(arg);
  }
};

constexpr std::string_view kPythonTag = "<|python_tag|>";

class TaggedEngine final : public FormatEngine {
 public:
  TaggedEngine(const FamilySpec& spec, const ParseOptions& options)
      : spec_(spec), tools_(options.tools) {
    build_tables();
    const bool can_reason = !spec.reasoning_open.empty();
    state_ = (options.start == StartState::kReasoning && can_reason) ? State::kReasoning
                                                                     : State::kContent;
  }

  void feed(std::string_view text, Emitter& em) override {
    pending_.append(text);
    Step step{this, &em};
    run_scan(pending_, StreamEnd::kMore, step);
  }

  void finish(Emitter& em) override {
    Step step{this, &em};
    run_scan(pending_, StreamEnd::kFinal, step);
    if (state_ == State::kTool) end_tool(em, "");
    if (state_ == State::kJsonMessage) end_json_message(em);
    state_ = State::kContent;
  }

  Phase phase() const override {
    switch (state_) {
      case State::kReasoning: return Phase::kReasoning;
      case State::kTool:
      case State::kJsonMessage: return Phase::kToolCall;
      case State::kContent: break;
    }
    return Phase::kContent;
  }

 private:
  enum class State : uint8_t { kContent, kReasoning, kTool, kJsonMessage };

  struct Step {
    TaggedEngine* self;
    Emitter* em;
    std::span<const std::string_view> markers() { return self->table().texts; }
    bool before_scan(std::string_view rest, size_t* consumed) {
      return self->maybe_start_json(rest, *em, consumed);
    }
    size_t text(std::string_view plain) {
      self->on_text(plain, *em);
      return plain.size();
    }
    void marker(int index, std::string_view text) { self->on_marker(index, text, *em); }
  };

  void build_tables() {
    const auto& d = spec_.tool_delims;
    content_.add(spec_.reasoning_open, Action::kOpenReasoning);
    content_.add(spec_.reasoning_close, Action::kDrop);
    reasoning_.add(spec_.reasoning_close, Action::kCloseReasoning);
    reasoning_.add(spec_.reasoning_open, Action::kDrop);
    for (size_t i = 0; i < d.size(); ++i) {
      content_.add(d[i].open, Action::kOpenTool, int(i));
      tool_[i].add(d[i].close, Action::kCloseTool, int(i));
    }
    // Only the primary open marker ends reasoning; a bare "<function=" in a
    // thought is more likely prose about the format.
    if (spec_.tool_ends_reasoning == ToolEndsReasoning::kYes) {
      reasoning_.add(d[0].open, Action::kOpenTool, 0);
    }
    if (spec_.tool_format == ToolFormat::kLlama3Json) content_.add(kPythonTag, Action::kPythonTag);
    for (std::string_view stop : spec_.drop_markers) {
      content_.add(stop, Action::kDrop);
      reasoning_.add(stop, Action::kDrop);
      for (MarkerTable& t : tool_) t.add(stop, Action::kStopInTool);
      json_.add(stop, Action::kEndJson);
    }
  }

  const MarkerTable& table() const {
    switch (state_) {
      case State::kReasoning: return reasoning_;
      case State::kTool: return tool_[size_t(delim_)];
      case State::kJsonMessage: return json_;
      case State::kContent: break;
    }
    return content_;
  }

  // Llama 3 writes a call as the whole message: a message whose first
  // non-space character is '{' is collected and parsed at its end.
  bool maybe_start_json(std::string_view rest, Emitter& em, size_t* consumed) {
    if (spec_.tool_format != ToolFormat::kLlama3Json || state_ != State::kContent ||
        json_checked_ || em.content_started() || em.n_tool_calls() > 0) {
      return false;
    }
    size_t i = 0;
    while (i < rest.size() && is_space(rest[i])) ++i;
    if (i == rest.size()) return false;  // only whitespace so far: undecided
    json_checked_ = true;
    if (rest[i] != '{') return false;
    em.content(rest.substr(0, i));
    state_ = State::kJsonMessage;
    open_text_.clear();
    body_.clear();
    *consumed = i;
    return true;
  }

  void on_text(std::string_view text, Emitter& em) {
    switch (state_) {
      case State::kContent: em.content(text); break;
      case State::kReasoning: em.reasoning(text); break;
      case State::kTool:
      case State::kJsonMessage: body_.append(text); break;
    }
  }

  void on_marker(int index, std::string_view text, Emitter& em) {
    const MarkerTable& t = table();
    const Action action = t.actions[size_t(index)];
    const int arg = t.args[size_t(index)];
    const bool leaves_reasoning =
        state_ == State::kReasoning && (action == Action::kCloseReasoning || action == Action::kOpenTool);
    if (leaves_reasoning) em.end_block(EventKind::kReasoning);
    switch (action) {
      case Action::kOpenReasoning: state_ = State::kReasoning; break;
      case Action::kCloseReasoning: state_ = State::kContent; break;
      case Action::kOpenTool:
        state_ = State::kTool;
        delim_ = arg;
        open_text_.assign(text);
        body_.clear();
        break;
      case Action::kCloseTool: end_tool(em, text); break;
      case Action::kStopInTool: end_tool(em, ""); break;
      case Action::kPythonTag:
        state_ = State::kJsonMessage;
        json_checked_ = true;
        open_text_.assign(text);
        body_.clear();
        break;
      case Action::kEndJson: end_json_message(em); break;
      case Action::kDrop: break;
    }
  }

  void end_tool(Emitter& em, std::string_view close_text) {
    const ToolDelim& delim = spec_.tool_delims[size_t(delim_)];
    std::string raw = open_text_ + body_ + std::string(close_text);
    std::string_view block = delim.text == DelimText::kInclude ? std::string_view(raw)
                                                                : std::string_view(body_);
    if (auto calls = parse_tool_block(spec_.tool_format, block, tools_)) {
      for (ParsedCall& c : *calls) em.tool_call(std::move(c.name), std::move(c.arguments));
    } else {
      em.content(raw, EventFlag::kMalformed);
    }
    body_.clear();
    state_ = State::kContent;
  }

  void end_json_message(Emitter& em) {
    if (auto calls = parse_llama3_block(body_)) {
      for (ParsedCall& c : *calls) em.tool_call(std::move(c.name), std::move(c.arguments));
    } else {
      // Only text that tried to be a call is flagged; a JSON answer is content.
      const bool attempted = !open_text_.empty() || body_.find("\"name\"") != std::string::npos;
      em.content(open_text_ + body_, attempted ? EventFlag::kMalformed : EventFlag::kNone);
    }
    body_.clear();
    state_ = State::kContent;
  }

  const FamilySpec& spec_;
  nlohmann::ordered_json tools_;
  MarkerTable content_, reasoning_, json_;
  std::array<MarkerTable, kMaxToolDelims> tool_;
  State state_ = State::kContent;
  int delim_ = 0;
  bool json_checked_ = false;
  std::string pending_;
  std::string open_text_;
  std::string body_;
};

}  // namespace

std::unique_ptr<FormatEngine> make_tagged_engine(const FamilySpec& spec,
                                                 const ParseOptions& options) {
  return std::make_unique<TaggedEngine>(spec, options);
}

}  // namespace hako::chat
