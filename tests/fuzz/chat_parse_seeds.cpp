// Seed inputs for chat_parse_fuzz (see chat_parse_seeds.h).
#include "chat_parse_seeds.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace hako::fuzz {
namespace {

namespace fs = std::filesystem;
using chat::Family;

constexpr size_t kMaxTurnBytes = 2048;
constexpr size_t kMaxTurnsPerFile = 16;

struct HandMade {
  Family family;
  uint8_t flags;
  std::string_view text;
};

// Outputs written as the models write them, and broken on purpose.
constexpr HandMade kHandMade[] = {
    {Family::kPlain, kChatAligned, "Hello, 世界! 😀<|im_end|>"},
    {Family::kThink, kChatAligned, "<think>\nLet me think: 2+2.\n</think>\n\nIt is 4.<｜end▁of▁sentence｜>"},
    {Family::kThink, kChatAligned | kChatStartReasoning, "hmm\n</think>\n\nAnswer<|im_end|>"},
    {Family::kThink, kChatAligned,
     "<think>x</think><｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n"
     "```json\n{\"city\": \"東京\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>"},
    {Family::kQwen3, kChatAligned,
     "<think>\nweather?\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "
     "{\"city\": \"Tokyo\", \"days\": [1, 2]}}\n</tool_call><|im_end|>"},
    {Family::kQwen3, 0, "<think>unclosed <tool_call>{\"name\": \"f\", \"arguments\": {"},
    {Family::kHermes, kChatAligned | kChatTools,
     "Sure.\n<tool_call>\n{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": \\\"\\u00e9\\\"}\"}\n"
     "</tool_call>\n<tool_call>{\"name\": \"g\"}</tool_call>"},
    {Family::kQwen3Coder, kChatAligned | kChatTools,
     "<tool_call>\n<function=f>\n<parameter=a>\n42\n</parameter>\n<parameter=b>\n42\n</parameter>\n"
     "<parameter=d>\n{\"k\": [1]}\n</parameter>\n</function>\n</tool_call><|im_end|>"},
    {Family::kQwen3Coder, kChatAligned, "text <function=g><parameter=x>\nTrue\n</function> more"},
    {Family::kQwen35, kChatAligned | kChatStartReasoning,
     "I should call it.\n</think>\n\n<tool_call>\n<function=get_weather>\n<parameter=city>\n"
     "東京\n</parameter>\n</function>\n</tool_call>"},
    {Family::kNemotronH, kChatAligned,
     "<think>\nplan\n</think>\n<tool_call>\n<function=f>\n<parameter=e>\n[1, 2]\n</parameter>\n"
     "</function>\n</tool_call>\n<|im_end|>"},
    {Family::kLfm2, kChatAligned,
     "<think>ok</think><|tool_call_start|>[get_weather(city=\"Tokyo\", days=3), "
     "f(a='x\\u00e9', x=True, e=[1, None])]<|tool_call_end|>Done.<|im_end|>"},
    {Family::kLlama3, kChatAligned,
     "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"},
    {Family::kLlama3, kChatAligned, "<|python_tag|>brave_search.call(query=\"hako\")<|eom_id|>"},
    {Family::kLlama3, kChatAligned, "  {\"not\": \"a call\"} and text<|eot_id|>"},
    {Family::kGemma4, kChatAligned,
     "<|channel>thought\nthinking\n<channel|>Answer.<|tool_call>call:get_weather{city:<|\"|>東京"
     "<|\"|>,days:3,opts:{a:[1,true,null]}}<tool_call|><|tool_response>"},
    {Family::kGptOss, kChatAligned,
     "<|channel|>analysis<|message|>Need weather.<|end|><|start|>assistant<|channel|>commentary "
     "to=functions.get_weather <|constrain|>json<|message|>{\"city\": \"Tokyo\"}<|call|>"},
    {Family::kGptOss, kChatAligned,
     "<|channel|>analysis<|message|>think<|end|><|start|>assistant<|channel|>final<|message|>"
     "答え<|return|>"},
    {Family::kGptOss, kChatAligned | 2, "plain answer, no header <|end|> tail"},
    {Family::kGptOss, 0, "<|channel|>commentary to=functions.f<|message|>{broken<|call|>"},
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Where an assistant turn starts, and what starts the turn after it.
struct TurnMarkers {
  std::string_view opener;
  std::string_view next_turn;
};

constexpr TurnMarkers kTurns[] = {
    {"<|im_start|>assistant\n", "<|im_start|>"},
    {"<|start|>assistant", "<|start|>"},
    {"<|turn>model\n", "<|turn>"},
    {"<|start_header_id|>assistant<|end_header_id|>\n\n", "<|start_header_id|>"},
    {"<｜Assistant｜>", "<｜User｜>"},
};

// Appends the assistant turns of one rendered prompt (cut before the next turn).
void add_turns(std::string_view prompt, std::set<std::string>& turns) {
  for (const TurnMarkers& m : kTurns) {
    for (size_t at = prompt.find(m.opener); at != std::string_view::npos;
         at = prompt.find(m.opener, at + 1)) {
      const size_t body = at + m.opener.size();
      const size_t end = prompt.find(m.next_turn, body);
      std::string_view turn = prompt.substr(body, end == std::string_view::npos ? end : end - body);
      if (turn.empty() || turn.size() > kMaxTurnBytes) continue;
      turns.emplace(turn);
    }
  }
}

void add_rendered(const fs::path& jsonl, Family family, std::vector<ChatParseSeed>& seeds) {
  std::ifstream in(jsonl);
  std::set<std::string> turns;
  for (std::string line; std::getline(in, line);) {
    const auto row = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (row.is_object() && row.contains("output") && row["output"].is_string()) {
      add_turns(row["output"].get<std::string>(), turns);
    }
  }
  size_t n = 0;
  for (const std::string& turn : turns) {
    if (n == kMaxTurnsPerFile) break;
    // Alternate the options so the seeds start from several of them.
    const uint8_t flags = uint8_t(kChatAligned | (n % 2 ? kChatTools : 0) | (n % 3 == 2 ? kChatKeepSpace : 0));
    seeds.push_back({"chat-" + jsonl.stem().string() + "-" + std::to_string(n),
                     chat_parse_input(family, flags, uint8_t(n * 37 + 3), turn)});
    ++n;
  }
}

}  // namespace

std::string chat_parse_input(Family family, uint8_t flags, uint8_t split, std::string_view text) {
  std::string bytes;
  bytes.push_back(char(family));
  bytes.push_back(char(flags));
  bytes.push_back(char(split));
  bytes.append(text);
  return bytes;
}

std::vector<ChatParseSeed> chat_parse_seeds(const fs::path& testdata) {
  std::vector<ChatParseSeed> seeds;
  size_t n = 0;
  for (const HandMade& h : kHandMade) {
    seeds.push_back({"chat-handmade-" + std::to_string(n),
                     chat_parse_input(h.family, h.flags, uint8_t(n * 11 + 2), h.text)});
    ++n;
  }
  const fs::path expected = testdata / "templates" / "expected";
  if (!fs::is_directory(expected)) throw std::runtime_error("not a folder: " + expected.string());
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(expected)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& jsonl : files) {
    const fs::path tmpl = testdata / "templates" / (jsonl.stem().string() + ".jinja");
    if (!fs::exists(tmpl)) continue;
    const Family family = chat::detect_family(read_file(tmpl));
    if (family == Family::kPlain) continue;
    add_rendered(jsonl, family, seeds);
  }
  return seeds;
}

}  // namespace hako::fuzz
