// Property test: for every family, the parse of a stream does not depend on
// how the stream is cut into pieces. Seeded random outputs are assembled
// from the family's own markers, prefixes of markers, fragments of call
// syntax, whitespace and multi-byte text — valid and broken structures
// alike — and parsed whole, byte by byte and in random pieces; the results
// must be identical, and no input may throw.
#include <gtest/gtest.h>

#include <random>

#include "chat/parse/output_parser.h"
#include "stream_harness.h"

namespace hako::chat::test {
namespace {

std::vector<std::string> alphabet(const FamilySpec& spec) {
  std::vector<std::string> a = {
      "hello", " ", "\n", "\n\n", "東京", "é", "{", "}", "\"name\"", ": ", "\"f\"", ", ",
      "\"arguments\"", "\"parameters\"", "[", "]", "(", ")", "=", "a=1", "call:f", "<|\"|>x<|\"|>",
      "<function=f>", "<parameter=a>", "\n1\n", "</parameter>", "</function>", " to=functions.f",
      "<|channel|>", "analysis", "final", "commentary", " json", "<|message|>", "<|end|>",
      "<|start|>assistant", "<|call|>", "<|return|>", "<", "|", ">", "```json\n", "```",
      "<|python_tag|>", "{\"name\": \"f\", \"arguments\": {\"a\": [1, \"}\"]}}",
  };
  auto add = [&](std::string_view m) {
    if (!m.empty()) a.emplace_back(m);
  };
  add(spec.reasoning_open);
  add(spec.reasoning_close);
  for (const ToolDelim& d : spec.tool_delims) {
    add(d.open);
    add(d.close);
  }
  for (std::string_view m : spec.drop_markers) add(m);
  return a;
}

// A random output: alphabet entries and prefixes of markers.
std::string random_output(const std::vector<std::string>& a, std::mt19937& rng) {
  std::string s;
  const size_t n = 1 + rng() % 24;
  for (size_t i = 0; i < n; ++i) {
    const std::string& w = a[rng() % a.size()];
    size_t n_ascii = 0;
    while (n_ascii < w.size() && static_cast<unsigned char>(w[n_ascii]) < 0x80) ++n_ascii;
    if (rng() % 4 == 0 && w.front() == '<') {
      // A marker cut short, inside its ASCII lead (the text stays valid UTF-8).
      s += w.substr(0, 1 + rng() % n_ascii);
    } else {
      s += w;
    }
  }
  return s;
}

bool same(const ParsedOutput& x, const ParsedOutput& y) {
  return x.reasoning == y.reasoning && x.content == y.content && x.tool_calls == y.tool_calls &&
         x.n_malformed == y.n_malformed;
}

TEST(Chunking, ResultDoesNotDependOnPieces) {
  std::mt19937 rng(20251125);
  for (const FamilySpec& spec : all_families()) {
    const auto a = alphabet(spec);
    for (Whitespace ws : {Whitespace::kTrim, Whitespace::kKeep}) {
      for (StartState start : {StartState::kMessageStart, StartState::kReasoning}) {
        ParseOptions o;
        o.whitespace = ws;
        o.start = start;
        for (int round = 0; round < 150; ++round) {
          const std::string text = random_output(a, rng);
          SCOPED_TRACE(std::string(spec.name) + " text: " + text);
          ParsedOutput whole;
          ASSERT_NO_THROW(whole = parse_output(spec.family, text, o));
          std::vector<size_t> bytes, random_cuts;
          for (size_t i = 1; i < text.size(); ++i) {
            bytes.push_back(i);
            if (rng() % 3 == 0) random_cuts.push_back(i);
          }
          for (const auto* cuts : {&bytes, &random_cuts}) {
            Collected got;
            ASSERT_NO_THROW(got = feed_pieces(spec.family, o, split_at(text, *cuts)));
            ASSERT_EQ(got.problems, "");
            ASSERT_TRUE(same(got.from_events, whole))
                << "streamed reasoning [" << got.from_events.reasoning << "] content ["
                << got.from_events.content << "] calls " << got.from_events.tool_calls.size()
                << "\nwhole    reasoning [" << whole.reasoning << "] content [" << whole.content
                << "] calls " << whole.tool_calls.size();
            ASSERT_TRUE(same(got.from_parser, whole));
          }
        }
      }
    }
  }
}

// With Whitespace::kKeep and no tool-call syntax, nothing but markers is
// removed: reasoning + content is the input minus its marker texts.
TEST(Chunking, KeepModeLosesNothingButMarkers) {
  const std::string text = "a <thin\n<think> b </think>\n c <｜end▁of▁sentence｜>d</th";
  const ParsedOutput out = parse_output(Family::kThink, text, {.whitespace = Whitespace::kKeep});
  EXPECT_EQ(out.reasoning, " b ");
  EXPECT_EQ(out.content, "a <thin\n\n c d</th");
}

}  // namespace
}  // namespace hako::chat::test
