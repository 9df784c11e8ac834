// Test harness for the streaming output parser: feeds one output text as a
// whole, in every 2-way split, in 1-byte pieces, in seeded random pieces and
// in caller-given pieces (real token texts), rebuilds the result from the
// events alone and checks it against the expectation and against the
// parser's own accumulated result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/parse/output_parser.h"

namespace hako::chat::test {

struct ExpectedCall {
  std::string name;
  nlohmann::ordered_json arguments;
};

struct Expected {
  std::string reasoning;
  std::string content;
  std::vector<ExpectedCall> calls;
  int n_malformed = 0;
};

// What the events of one stream add up to.
struct Collected {
  ParsedOutput from_events;
  ParsedOutput from_parser;
  std::string problems;  // protocol violations found in the event sequence
};

Collected feed_pieces(Family family, const ParseOptions& options,
                      const std::vector<std::string_view>& pieces);

// Adds a gtest failure (with `label`) when `got` differs from `want`.
void check_collected(const Collected& got, const Expected& want, std::string_view label);

// Feeds `text` whole, in every 2-way split, in 1-byte pieces and in a few
// seeded random splits, checking each against `want`.
void expect_every_split(Family family, const ParseOptions& options, std::string_view text,
                        const Expected& want);

// Splits `text` into pieces at the given byte offsets (sorted, in range).
std::vector<std::string_view> split_at(std::string_view text, const std::vector<size_t>& cuts);

}  // namespace hako::chat::test
