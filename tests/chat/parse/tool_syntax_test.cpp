// Unit tests of the tool-call body parsers (tool_syntax.h) and the marker
// scanner: value syntaxes, leniencies the parsers promise, inputs they must
// reject, and that hostile input (deep nesting, truncation at every byte)
// neither crashes nor throws.
#include <gtest/gtest.h>

#include "chat/parse/marker_scan.h"
#include "chat/parse/tool_syntax.h"

namespace hako::chat {
namespace {

using nlohmann::ordered_json;

ordered_json j(std::string_view text) { return ordered_json::parse(text); }

TEST(MarkerScan, EarliestLongestAndHold) {
  const std::string_view markers[] = {"<a>", "<ab>", "</a>"};
  auto r = scan_markers("xx<ab>yy<a>", markers, StreamEnd::kMore);
  EXPECT_EQ(r.kind, ScanKind::kMatch);
  EXPECT_EQ(r.pos, 2u);
  EXPECT_EQ(r.index, 1);
  r = scan_markers("xx<a", markers, StreamEnd::kMore);
  EXPECT_EQ(r.kind, ScanKind::kHold);
  EXPECT_EQ(r.pos, 2u);
  r = scan_markers("xx<a", markers, StreamEnd::kFinal);
  EXPECT_EQ(r.kind, ScanKind::kNone);
  EXPECT_EQ(r.pos, 4u);
  // "<a>" is complete, but "<ab>" cannot be ruled out yet: nothing here.
  r = scan_markers("<a>", std::span<const std::string_view>(markers).first(1), StreamEnd::kMore);
  EXPECT_EQ(r.kind, ScanKind::kMatch);
  const std::string_view nested[] = {"<|channel>", "<|channel>thought"};
  r = scan_markers("x<|channel>tho", nested, StreamEnd::kMore);
  EXPECT_EQ(r.kind, ScanKind::kHold);
  EXPECT_EQ(r.pos, 1u);
  r = scan_markers("x<|channel>thx", nested, StreamEnd::kMore);
  EXPECT_EQ(r.kind, ScanKind::kMatch);
  EXPECT_EQ(r.index, 0);
}

TEST(ToolSyntax, HermesForms) {
  auto calls = parse_hermes_block(R"( {"name": "f", "parameters": {"a": [1]}} )");
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).arguments, j(R"({"a": [1]})"));
  calls = parse_hermes_block(R"({"name": "f"})");
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).arguments, j("{}"));
  EXPECT_FALSE(parse_hermes_block(R"({"name": "", "arguments": {}})"));
  EXPECT_FALSE(parse_hermes_block(R"({"arguments": {}})"));
  EXPECT_FALSE(parse_hermes_block(R"({"name": "f", "arguments": [1]})"));
  EXPECT_FALSE(parse_hermes_block(R"({"name": "f", "arguments": "not json"})"));
  EXPECT_FALSE(parse_hermes_block(R"({"name": "f"} trailing)"));
}

TEST(ToolSyntax, HermesFamilyAcceptsXmlInside) {
  auto calls = parse_tool_block(ToolFormat::kHermesJson,
                                "\n<function=f>\n<parameter=x>\n1\n</parameter>\n</function>\n",
                                ordered_json());
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).arguments, j(R"({"x": 1})"));
}

TEST(ToolSyntax, XmlValueTyping) {
  const char* body =
      "<function=f>\n<parameter=s>\nhello world\n</parameter>\n<parameter=q>\n\"quoted\"\n"
      "</parameter>\n<parameter=n>\n-2.5\n</parameter>\n<parameter=b>\nfalse\n</parameter>\n"
      "<parameter=l>\n[1, \"a\"]\n</parameter>\n<parameter=empty>\n\n</parameter>\n</function>";
  auto calls = parse_xml_block(body, ordered_json());
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).arguments,
            j(R"({"s": "hello world", "q": "\"quoted\"", "n": -2.5, "b": false, "l": [1, "a"],
                  "empty": ""})"));
}

TEST(ToolSyntax, XmlLenientClosing) {
  // Missing </parameter> before the next parameter and missing </function>.
  auto calls = parse_xml_block("<function=f>\n<parameter=a>\nx\n<parameter=b>\ny\n", ordered_json());
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).arguments, j(R"({"a": "x", "b": "y"})"));
  EXPECT_FALSE(parse_xml_block("<function=>\n</function>", ordered_json()));
  EXPECT_FALSE(parse_xml_block("text <function=f></function>", ordered_json()));
  EXPECT_FALSE(parse_xml_block("", ordered_json()));
}

TEST(ToolSyntax, Gemma4Values) {
  auto calls = parse_gemma4_block(
      "call:f{a:<|\"|>x: {y}, z<|\"|>,\"b\":\"j\\n\",c:[],d:{},e:-1e3,f:False,g:None}");
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).name, "f");
  EXPECT_EQ(calls->at(0).arguments,
            j(R"({"a": "x: {y}, z", "b": "j\n", "c": [], "d": {}, "e": -1e3, "f": false,
                  "g": null})"));
  calls = parse_gemma4_block("call:f{{\"city\": \"東京\"}}");
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).arguments, j(R"({"city": "東京"})"));
  EXPECT_FALSE(parse_gemma4_block("f{a:1}"));
  EXPECT_FALSE(parse_gemma4_block("call:f{a:1"));
  EXPECT_FALSE(parse_gemma4_block("call:f{a:1} extra"));
  EXPECT_FALSE(parse_gemma4_block("call:f{a:bare words}"));
}

TEST(ToolSyntax, PythonLiterals) {
  auto calls = parse_pythonic_block(
      R"([f(a='x\'y', b="\u00e9\x41\n", c=(1, 2,), d=[], e={"k": [True, None]}, g=1.5e2,)])");
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).arguments,
            j(R"({"a": "x'y", "b": "éA\n", "c": [1, 2], "d": [], "e": {"k": [true, null]},
                  "g": 150.0})"));
  calls = parse_pythonic_block("g()");
  ASSERT_TRUE(calls);
  EXPECT_EQ(calls->at(0).name, "g");
  EXPECT_FALSE(parse_pythonic_block("[f(1)]"));          // positional
  EXPECT_FALSE(parse_pythonic_block("[f(a=\"\\ud800\")]"));  // lone surrogate
  EXPECT_FALSE(parse_pythonic_block("[f(a=x)]"));        // a name, not a literal
  EXPECT_FALSE(parse_pythonic_block("[]"));
}

TEST(ToolSyntax, HarmonyArguments) {
  EXPECT_EQ(*parse_harmony_arguments(" {\"a\": 1} "), j(R"({"a": 1})"));
  EXPECT_EQ(*parse_harmony_arguments("\"{\\\"a\\\": 1}\""), j(R"({"a": 1})"));
  EXPECT_FALSE(parse_harmony_arguments("[1]"));
  EXPECT_FALSE(parse_harmony_arguments("{"));
}

TEST(ToolSyntax, HostileInputNeverThrows) {
  std::string deep_gemma = "call:f{a:" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_FALSE(parse_gemma4_block(deep_gemma));
  std::string deep_py = "[f(a=" + std::string(5000, '[') + std::string(5000, ']') + ")]";
  EXPECT_FALSE(parse_pythonic_block(deep_py));
  // Every truncation of valid bodies: no crash, no throw, and the full text parses.
  const std::pair<ToolFormat, std::string> bodies[] = {
      {ToolFormat::kGemma4, "call:f{a:<|\"|>x<|\"|>,b:[1,{c:true}],d:\"e\"}"},
      {ToolFormat::kPythonic, "[f(a='x', b=[1, {'c': True}], d=\"\\u00e9\")]"},
      {ToolFormat::kXmlFunction, "<function=f>\n<parameter=a>\n{\"x\": 1}\n</parameter>\n</function>"},
      {ToolFormat::kHermesJson, "{\"name\": \"f\", \"arguments\": {\"a\": [1, 2]}}"},
      {ToolFormat::kLlama3Json, "{\"name\": \"f\", \"parameters\": {}}; {\"name\": \"g\"}"},
  };
  for (const auto& [format, body] : bodies) {
    EXPECT_TRUE(parse_tool_block(format, body, ordered_json())) << body;
    for (size_t n = 0; n < body.size(); ++n) {
      EXPECT_NO_THROW(parse_tool_block(format, std::string_view(body).substr(0, n), ordered_json()));
    }
  }
}

}  // namespace
}  // namespace hako::chat
