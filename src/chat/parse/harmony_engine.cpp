// HarmonyEngine: the gpt-oss output format. The generation prompt ends with
// "<|start|>assistant", so the output begins with a message header:
//   <|channel|>analysis<|message|>…<|end|>                     reasoning
//   <|start|>assistant<|channel|>final<|message|>…<|return|>   content
//   <|channel|>commentary to=functions.f <|constrain|>json<|message|>{…}<|call|>
//   <|start|>assistant to=functions.f<|channel|>commentary json<|message|>{…}<|call|>
// (the recipient may stand before or after the channel). A commentary
// message without a recipient is a preamble shown to the user (content).
// Text that does not start like a header is taken as content, so output
// that ignores the format is never lost.
#include "chat/parse/format_engine.h"
#include "chat/parse/tool_syntax.h"

namespace hako::chat {
namespace {

constexpr std::string_view kMessage = "<|message|>";
constexpr std::string_view kStart = "<|start|>";
constexpr std::string_view kChannel = "<|channel|>";
constexpr std::string_view kConstrain = "<|constrain|>";
constexpr std::string_view kEnd = "<|end|>";
constexpr std::string_view kReturn = "<|return|>";
constexpr std::string_view kCall = "<|call|>";

// A header longer than this without <|message|> is not a header.
constexpr size_t kMaxHeaderBytes = 512;

// Marker lists per state; the order is the index on_marker switches over.
constexpr std::string_view kHeaderMarkers[] = {kMessage, kStart, kEnd, kReturn, kCall};
constexpr std::string_view kBodyMarkers[] = {kEnd, kReturn, kCall, kStart, kChannel, kMessage};
constexpr std::string_view kBetweenMarkers[] = {kStart, kChannel, kEnd, kReturn, kCall, kMessage};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Whether `a` and `b` agree on their common length (one is a prefix of the other).
bool prefix_compatible(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  return a.substr(0, n) == b.substr(0, n);
}

// Whether `h` (a header so far, possibly incomplete) can still be a header:
// an optional role name, then a channel, a recipient or a constraint.
bool looks_like_header(std::string_view h) {
  size_t i = 0;
  while (i < h.size() && is_name_char(h[i])) ++i;
  const std::string_view rest = h.substr(i);
  if (rest.empty()) return true;
  for (std::string_view lead : {kChannel, kConstrain, std::string_view(" to="),
                                std::string_view(" <|constrain|>")}) {
    if (prefix_compatible(rest, lead)) return true;
  }
  return false;
}

// The word after the last occurrence of `key` in `header`, up to a space or '<'.
std::string_view word_after(std::string_view header, std::string_view key) {
  const size_t at = header.rfind(key);
  if (at == std::string_view::npos) return {};
  size_t b = at + key.size();
  size_t e = b;
  while (e < header.size() && header[e] != ' ' && header[e] != '<') ++e;
  return header.substr(b, e - b);
}

class HarmonyEngine final : public FormatEngine {
 public:
  explicit HarmonyEngine(const ParseOptions& options) {
    switch (options.start) {
      case StartState::kMessageStart: state_ = State::kHeader; break;
      case StartState::kReasoning: state_ = State::kReasoning; break;
      case StartState::kContent: state_ = State::kContent; break;
    }
  }

  void feed(std::string_view text, Emitter& em) override {
    pending_.append(text);
    Step step{this, &em};
    run_scan(pending_, StreamEnd::kMore, step);
  }

  void finish(Emitter& em) override {
    Step step{this, &em};
    run_scan(pending_, StreamEnd::kFinal, step);
    if (state_ == State::kHeader) abandon_header(em);
    if (state_ == State::kTool) end_tool(em, "");
    state_ = State::kBetween;
  }

  Phase phase() const override {
    switch (state_) {
      case State::kReasoning: return Phase::kReasoning;
      case State::kContent: return Phase::kContent;
      case State::kTool: return Phase::kToolCall;
      case State::kHeader:
      case State::kBetween: break;
    }
    return Phase::kHeader;
  }

 private:
  enum class State : uint8_t { kHeader, kReasoning, kContent, kTool, kBetween };

  struct Step {
    HarmonyEngine* self;
    Emitter* em;
    std::span<const std::string_view> markers() const {
      switch (self->state_) {
        case State::kHeader: return kHeaderMarkers;
        case State::kBetween: return kBetweenMarkers;
        default: return kBodyMarkers;
      }
    }
    bool before_scan(std::string_view, size_t*) { return false; }
    size_t text(std::string_view plain) { return self->on_text(plain, *em); }
    void marker(int, std::string_view text) { self->on_marker(text, *em); }
  };

  // Returns the bytes taken: in a header, only those up to the first byte
  // that proves it is no header; the rest is rescanned as content.
  size_t on_text(std::string_view text, Emitter& em) {
    switch (state_) {
      case State::kHeader: return header_text(text, em);
      case State::kReasoning: em.reasoning(text); break;
      case State::kContent:
      case State::kBetween: em.content(text); break;
      case State::kTool: body_.append(text); break;
    }
    return text.size();
  }

  // Appends header text byte by byte (a header is short) so that the point
  // where it stops looking like one does not depend on the pieces.
  size_t header_text(std::string_view text, Emitter& em) {
    for (size_t i = 0; i < text.size(); ++i) {
      header_.push_back(text[i]);
      const bool header = looks_like_header(header_);
      // An overlong header is cut before a character, never inside one: the
      // flagged event holding it must be valid UTF-8 on its own.
      const bool fits = header_.size() <= kMaxHeaderBytes || is_utf8_continuation(text[i]);
      if (header && fits) continue;
      header_.pop_back();
      if (header) {
        abandon_header(em);  // overlong: flagged if it held markers
      } else {
        em.content(header_);  // not Harmony: the model is simply answering
        header_.clear();
      }
      state_ = State::kContent;
      return i;
    }
    return text.size();
  }

  void on_marker(std::string_view m, Emitter& em) {
    if (state_ == State::kHeader) {
      if (m == kMessage) {
        open_message();
        return;
      }
      abandon_header(em);
      state_ = m == kStart ? State::kHeader : State::kBetween;
      return;
    }
    if (state_ == State::kTool) {
      // <|start|> and <|channel|> belong to the next message, not to this one.
      const bool next = m == kStart || m == kChannel;
      end_tool(em, next ? std::string_view() : m);
    }
    if (state_ == State::kReasoning) em.end_block(EventKind::kReasoning);
    if (state_ == State::kContent) em.end_block(EventKind::kContent);
    if (m == kStart) {
      header_.clear();
      state_ = State::kHeader;
    } else if (m == kChannel) {
      header_.assign(kChannel);
      state_ = State::kHeader;
    } else {
      state_ = State::kBetween;
    }
  }

  // Emits an unfinished or overlong header as text (flagged when it holds a
  // special-token marker: it was a broken header, not the model's prose).
  void abandon_header(Emitter& em) {
    if (!header_.empty()) {
      const bool marked = header_.find("<|") != std::string::npos;
      em.content(header_, marked ? EventFlag::kMalformed : EventFlag::kNone);
    }
    header_.clear();
  }

  void open_message() {
    const std::string_view channel = word_after(header_, kChannel);
    std::string_view recipient = word_after(header_, "to=");
    if (!recipient.empty() && recipient != "assistant") {
      tool_name_.assign(recipient.starts_with("functions.") ? recipient.substr(10) : recipient);
      tool_header_ = header_;
      body_.clear();
      state_ = State::kTool;
    } else {
      state_ = channel == "analysis" ? State::kReasoning : State::kContent;
    }
    header_.clear();
  }

  void end_tool(Emitter& em, std::string_view close_text) {
    auto args = tool_name_.empty() ? std::nullopt : parse_harmony_arguments(body_);
    if (args) {
      em.tool_call(std::move(tool_name_), std::move(*args));
    } else {
      em.content(tool_header_ + std::string(kMessage) + body_ + std::string(close_text),
                 EventFlag::kMalformed);
    }
    tool_name_.clear();
    body_.clear();
    state_ = State::kBetween;
  }

  State state_ = State::kHeader;
  std::string pending_;
  std::string header_;
  std::string tool_header_;
  std::string tool_name_;
  std::string body_;
};

}  // namespace

std::unique_ptr<FormatEngine> make_harmony_engine(const ParseOptions& options) {
  return std::make_unique<HarmonyEngine>(options);
}

}  // namespace hako::chat
