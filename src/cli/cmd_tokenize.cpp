// `hako tokenize` and `hako detokenize`: text -> token ids (a JSON array on
// stdout) and ids -> text, with the tokenizer of a GGUF model, a Hugging Face
// tokenizer.json (or .json.gz), or a directory holding one. They only load
// the tokenizer, never the weights.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/commands.h"
#include "tokenizer/tokenizer.h"

namespace hako::cli {
namespace {

struct TokenizeArgs {
  std::string model;
  std::string text;
  bool parse_special = false;
  bool add_special = false;
  bool pieces = false;
  bool reject_invalid = false;
};

struct DetokenizeArgs {
  std::string model;
  std::string ids;
  bool hide_special = false;
  bool raw = false;
};

std::string read_stdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// Ids from "[1, 2, 3]", "1,2,3" or "1 2 3"; throws naming the first bad item.
std::vector<int32_t> parse_ids(const std::string& s, int32_t n_vocab) {
  std::vector<int32_t> ids;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '[' || c == ']' || c == ',' || c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i || j - i > 10) {
      size_t end = s.find_first_of(", \n]", i);
      throw Error(ErrorKind::kInvalidArgument,
                  "IDS: '" + s.substr(i, end == std::string::npos ? std::string::npos : end - i) +
                      "' is not a token id (expected non-negative integers like [1, 2, 3])");
    }
    const long long v = std::stoll(s.substr(i, j - i));
    if (v >= n_vocab) {
      throw Error(ErrorKind::kInvalidArgument, "IDS: token id " + std::to_string(v) + " is out of range (n_vocab " +
                                                   std::to_string(n_vocab) + ")");
    }
    ids.push_back(int32_t(v));
    i = j;
  }
  return ids;
}

void run_tokenize(const TokenizeArgs& a) {
  const tokenizer::Tokenizer tok = tokenizer::Tokenizer::load(a.model);
  const std::string text = a.text == "-" ? read_stdin() : a.text;
  tokenizer::EncodeOptions opts;
  opts.add_special = a.add_special ? tokenizer::AddSpecial::kYes : tokenizer::AddSpecial::kNo;
  opts.parse_special = a.parse_special ? tokenizer::ParseSpecial::kYes : tokenizer::ParseSpecial::kNo;
  opts.invalid_utf8 = a.reject_invalid ? tokenizer::InvalidUtf8::kReject : tokenizer::InvalidUtf8::kByteFallback;
  const std::vector<int32_t> ids = tok.encode(text, opts);
  nlohmann::json out = nlohmann::json::array();
  for (int32_t id : ids) {
    if (a.pieces) {
      out.push_back({id, std::string(tok.token_text(id))});
    } else {
      out.push_back(id);
    }
  }
  std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

void run_detokenize(const DetokenizeArgs& a) {
  const tokenizer::Tokenizer tok = tokenizer::Tokenizer::load(a.model);
  const std::string spec = a.ids == "-" ? read_stdin() : a.ids;
  const std::vector<int32_t> ids = parse_ids(spec, tok.n_vocab());
  tokenizer::DecodeOptions opts;
  opts.special = a.hide_special ? tokenizer::SpecialTokens::kHide : tokenizer::SpecialTokens::kShow;
  opts.invalid = a.raw ? tokenizer::InvalidOutput::kRaw : tokenizer::InvalidOutput::kReplace;
  const std::string text = tok.decode(ids, opts);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace

void register_tokenize(CLI::App& app) {
  auto args = std::make_shared<TokenizeArgs>();
  CLI::App* cmd = app.add_subcommand("tokenize", "Print the token ids of a text as a JSON array");
  cmd->add_option("-m,--model", args->model, "MODEL.gguf, tokenizer.json[.gz] or a directory holding one")->required();
  cmd->add_option("text", args->text, "The text; '-' or nothing reads stdin")->default_val("-");
  cmd->add_flag("--parse-special", args->parse_special, "Turn special tokens written in the text (<|im_start|>) into their ids");
  cmd->add_flag("--add-special", args->add_special, "Add BOS/EOS as the model's metadata says");
  cmd->add_flag("--pieces", args->pieces, "Print [id, token text] pairs instead of ids");
  cmd->add_flag("--reject-invalid-utf8", args->reject_invalid, "Fail on invalid UTF-8 instead of byte fallback");
  cmd->callback([args] { run_tokenize(*args); });
}

void register_detokenize(CLI::App& app) {
  auto args = std::make_shared<DetokenizeArgs>();
  CLI::App* cmd = app.add_subcommand("detokenize", "Print the text of token ids");
  cmd->add_option("-m,--model", args->model, "MODEL.gguf, tokenizer.json[.gz] or a directory holding one")->required();
  cmd->add_option("ids", args->ids, "Ids as [1, 2, 3] or 1,2,3; '-' or nothing reads stdin")->default_val("-");
  cmd->add_flag("--hide-special", args->hide_special, "Leave out special (control) tokens");
  cmd->add_flag("--raw", args->raw, "Write bytes as they are instead of replacing invalid UTF-8 with U+FFFD");
  cmd->callback([args] { run_detokenize(*args); });
}

}  // namespace hako::cli
