// Emitter (see emitter.h).
#include "chat/parse/emitter.h"

#include "base/error.h"

namespace hako::chat {

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

Emitter::Emitter(Whitespace whitespace, std::string id_prefix)
    : whitespace_(whitespace), id_prefix_(std::move(id_prefix)) {}

void Emitter::begin(std::vector<ChatEvent>* out) {
  out_ = out;
  merge_from_ = out ? out->size() : 0;
}

void Emitter::append(EventKind kind, std::string_view text, EventFlag flag) {
  if (text.empty()) return;
  (kind == EventKind::kReasoning ? result_.reasoning : result_.content).append(text);
  if (flag == EventFlag::kMalformed) ++result_.n_malformed;
  if (!out_) return;
  if (out_->size() > merge_from_ && out_->back().kind == kind && out_->back().flag == flag &&
      flag == EventFlag::kNone) {
    out_->back().text.append(text);
    return;
  }
  ChatEvent ev;
  ev.kind = kind;
  ev.flag = flag;
  ev.text.assign(text);
  out_->push_back(std::move(ev));
}

void Emitter::write(EventKind kind, std::string_view text, EventFlag flag) {
  if (whitespace_ == Whitespace::kKeep) {
    Sink& sink = sinks_[kind == EventKind::kContent ? 1 : 0];
    for (char c : text) sink.started |= !is_space(c);
    append(kind, text, flag);
    return;
  }
  Sink& sink = sinks_[kind == EventKind::kContent ? 1 : 0];
  if (!sink.started) {
    size_t i = 0;
    while (i < text.size() && is_space(text[i])) ++i;
    text.remove_prefix(i);
    if (text.empty()) {
      // A malformed block is never only whitespace (it holds its markers), so
      // nothing flagged is lost here.
      return;
    }
  }
  size_t body_end = text.size();
  while (body_end > 0 && is_space(text[body_end - 1])) --body_end;
  if (body_end == 0) {
    sink.pending_ws.append(text);
    return;
  }
  sink.started = true;
  if (!sink.pending_ws.empty()) {
    append(kind, sink.pending_ws, EventFlag::kNone);
    sink.pending_ws.clear();
  }
  append(kind, text.substr(0, body_end), flag);
  sink.pending_ws.assign(text.substr(body_end));
}

void Emitter::tool_call(std::string name, nlohmann::ordered_json arguments) {
  ToolCall call;
  call.id = id_prefix_ + std::to_string(result_.tool_calls.size());
  call.name = std::move(name);
  call.arguments = std::move(arguments);
  result_.tool_calls.push_back(call);
  if (!out_) return;
  ChatEvent ev;
  ev.kind = EventKind::kToolCall;
  ev.tool_call = std::move(call);
  out_->push_back(std::move(ev));
}

void Emitter::end_block(EventKind kind) {
  if (whitespace_ != Whitespace::kTrim) return;
  Sink& sink = sinks_[kind == EventKind::kContent ? 1 : 0];
  if (sink.started && sink.pending_ws.find('\n') == std::string::npos) sink.pending_ws = "\n\n";
}

void Emitter::end() {
  for (Sink& sink : sinks_) sink.pending_ws.clear();
  if (!out_) return;
  ChatEvent ev;
  ev.kind = EventKind::kEnd;
  out_->push_back(std::move(ev));
}

}  // namespace hako::chat
