// `hako template`: renders a chat template for one conversation and prints
// exactly the prompt (no trailing newline added), as transformers'
// apply_chat_template would produce it. The template comes from a .jinja
// file (--template) or a model's tokenizer.chat_template (-m); the
// conversation is a JSON case object (--input): {"messages": [...],
// "tools": [...]|null, "add_generation_prompt": bool, "extra": {...}}, the
// format of ../shared/testdata/templates/expected/*.jsonl records. With -m,
// bos_token/eos_token default to the model's vocabulary entries.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "chat/chat_template.h"
#include "chat/jinja/template.h"
#include "cli/commands.h"
#include "gguf/gguf_file.h"

namespace hako::cli {
namespace {

struct TemplateArgs {
  std::string template_path;
  std::string model_path;
  std::string input_path;
  std::string sandbox = "immutable";
  std::string now;  // "YYYY-MM-DD HH:MM:SS" for strftime_now, empty = local time
};

std::tm parse_now_or_throw(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  if (end == nullptr || *end != '\0') {
    throw Error(ErrorKind::kInvalidArgument, "--now '" + text + "': expected \"YYYY-MM-DD HH:MM:SS\"");
  }
  std::tm copy = tm;
  std::mktime(&copy);  // fills in the weekday and day of the year
  tm.tm_wday = copy.tm_wday;
  tm.tm_yday = copy.tm_yday;
  return tm;
}

std::string read_text_or_throw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(ErrorKind::kIo, path + ": cannot open");
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// The vocabulary string of the token id stored under `id_key`, if any.
std::optional<std::string> special_token(const gguf::GgufFile& file, std::string_view id_key) {
  const auto id = file.get_u32(id_key);
  const gguf::Value* tokens = file.get_array("tokenizer.ggml.tokens");
  if (!id || tokens == nullptr || tokens->array_type() != gguf::ValueType::kString || *id >= tokens->array_size()) {
    return std::nullopt;
  }
  return std::string(tokens->string_at(*id));
}

void run_template(const TemplateArgs& args) {
  if (args.template_path.empty() == args.model_path.empty()) {
    throw Error(ErrorKind::kInvalidArgument, "give exactly one of --template FILE.jinja and -m MODEL.gguf");
  }
  nlohmann::ordered_json input;
  try {
    input = nlohmann::ordered_json::parse(read_text_or_throw(args.input_path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kFormat, args.input_path + ": not valid JSON: " + e.what());
  }
  chat::ChatInputs inputs;
  try {
    inputs = chat::chat_inputs_from_json_or_throw(input);
  } catch (const Error& e) {
    rethrow_with_context(e, args.input_path);
  }
  std::string source;
  std::string origin;
  if (!args.template_path.empty()) {
    source = read_text_or_throw(args.template_path);
    origin = args.template_path;
  } else {
    const auto file = gguf::GgufFile::open_or_throw(args.model_path);
    const auto tmpl = file.get_string("tokenizer.chat_template");
    if (!tmpl) throw Error(ErrorKind::kFormat, args.model_path + ": no tokenizer.chat_template in this model");
    source = std::string(*tmpl);
    origin = args.model_path + " (tokenizer.chat_template)";
    if (!inputs.extra.contains("bos_token")) {
      if (auto bos = special_token(file, "tokenizer.ggml.bos_token_id")) inputs.extra["bos_token"] = *bos;
    }
    if (!inputs.extra.contains("eos_token")) {
      if (auto eos = special_token(file, "tokenizer.ggml.eos_token_id")) inputs.extra["eos_token"] = *eos;
    }
  }
  jinja::Options options;
  if (args.sandbox == "mutable") options.sandbox = jinja::Sandbox::kMutable;
  if (!args.now.empty()) options.fixed_now = parse_now_or_throw(args.now);
  std::string prompt;
  try {
    const auto tmpl = jinja::Template::parse_or_throw(source, options);
    prompt = chat::render_chat_or_throw(tmpl, inputs);
  } catch (const Error& e) {
    rethrow_with_context(e, origin);
  }
  std::fwrite(prompt.data(), 1, prompt.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

void register_template(CLI::App& app) {
  auto args = std::make_shared<TemplateArgs>();
  auto* cmd = app.add_subcommand("template", "Render a chat template for a conversation (prints the exact prompt)");
  auto* t = cmd->add_option("--template", args->template_path, "Jinja chat template file")->check(CLI::ExistingFile);
  auto* m = cmd->add_option("-m,--model", args->model_path, "GGUF model whose tokenizer.chat_template to use")
                ->check(CLI::ExistingFile);
  t->excludes(m);
  cmd->add_option("--input", args->input_path,
                  "JSON case: {messages, tools, add_generation_prompt, extra{bos_token, enable_thinking, ...}}")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--sandbox", args->sandbox,
                  "immutable (transformers: list.append raises) or mutable (llama.cpp-like)")
      ->check(CLI::IsMember({"immutable", "mutable"}));
  cmd->add_option("--now", args->now, "Pin the clock strftime_now() sees: \"YYYY-MM-DD HH:MM:SS\"");
  cmd->callback([args] { run_template(*args); });
}

}  // namespace hako::cli
