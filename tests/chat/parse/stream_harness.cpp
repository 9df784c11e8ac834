// Streaming test harness (see stream_harness.h).
#include "stream_harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace hako::chat::test {

std::vector<std::string_view> split_at(std::string_view text, const std::vector<size_t>& cuts) {
  std::vector<std::string_view> pieces;
  size_t prev = 0;
  for (size_t cut : cuts) {
    pieces.push_back(text.substr(prev, cut - prev));
    prev = cut;
  }
  pieces.push_back(text.substr(prev));
  return pieces;
}

Collected feed_pieces(Family family, const ParseOptions& options,
                      const std::vector<std::string_view>& pieces) {
  OutputParser parser(family, options);
  std::vector<ChatEvent> events;
  size_t checked = 0;
  Collected got;
  auto check_new = [&](bool final_batch) {
    for (size_t i = checked; i < events.size(); ++i) {
      const ChatEvent& ev = events[i];
      const bool last = i + 1 == events.size();
      switch (ev.kind) {
        case EventKind::kReasoning:
        case EventKind::kContent:
          if (ev.text.empty()) got.problems += "empty text event; ";
          (ev.kind == EventKind::kReasoning ? got.from_events.reasoning : got.from_events.content)
              .append(ev.text);
          if (ev.flag == EventFlag::kMalformed) ++got.from_events.n_malformed;
          break;
        case EventKind::kToolCall:
          got.from_events.tool_calls.push_back(ev.tool_call);
          break;
        case EventKind::kEnd:
          if (!final_batch || !last) got.problems += "kEnd not last; ";
          break;
      }
    }
    checked = events.size();
  };
  for (std::string_view piece : pieces) {
    parser.push(piece, events);
    check_new(false);
  }
  parser.finish(events);
  check_new(true);
  if (events.empty() || events.back().kind != EventKind::kEnd) got.problems += "no kEnd; ";
  got.from_parser = parser.result();
  return got;
}

void check_collected(const Collected& got, const Expected& want, std::string_view label) {
  SCOPED_TRACE(std::string(label));
  EXPECT_EQ(got.problems, "");
  const ParsedOutput& ev = got.from_events;
  EXPECT_EQ(ev.reasoning, want.reasoning);
  EXPECT_EQ(ev.content, want.content);
  EXPECT_EQ(ev.n_malformed, want.n_malformed);
  EXPECT_EQ(ev.tool_calls.size(), want.calls.size());
  for (size_t i = 0; i < std::min(ev.tool_calls.size(), want.calls.size()); ++i) {
    EXPECT_EQ(ev.tool_calls[i].name, want.calls[i].name) << "call " << i;
    EXPECT_EQ(ev.tool_calls[i].arguments, want.calls[i].arguments)
        << "call " << i << ": " << ev.tool_calls[i].arguments.dump();
    EXPECT_EQ(ev.tool_calls[i].id, "call_" + std::to_string(i));
  }
  // The parser's accumulated result is the same concatenation.
  EXPECT_EQ(got.from_parser.reasoning, ev.reasoning);
  EXPECT_EQ(got.from_parser.content, ev.content);
  EXPECT_EQ(got.from_parser.tool_calls, ev.tool_calls);
  EXPECT_EQ(got.from_parser.n_malformed, ev.n_malformed);
}

void expect_every_split(Family family, const ParseOptions& options, std::string_view text,
                        const Expected& want) {
  check_collected(feed_pieces(family, options, {text}), want, "whole");
  // Stop at the first failing split: one message is enough to debug.
  for (size_t cut = 0; cut <= text.size() && !::testing::Test::HasFailure(); ++cut) {
    check_collected(feed_pieces(family, options, split_at(text, {cut})), want,
                    "split at " + std::to_string(cut));
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < text.size(); ++i) every.push_back(i);
  check_collected(feed_pieces(family, options, split_at(text, every)), want, "1-byte pieces");
  std::mt19937 rng(1234);
  for (int round = 0; round < 8 && !::testing::Test::HasFailure(); ++round) {
    std::vector<size_t> cuts;
    for (size_t i = 1; i < text.size(); ++i) {
      if (rng() % 5 == 0) cuts.push_back(i);
    }
    check_collected(feed_pieces(family, options, split_at(text, cuts)), want,
                    "random split round " + std::to_string(round));
  }
}

}  // namespace hako::chat::test
