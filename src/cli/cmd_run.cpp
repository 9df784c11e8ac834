// `hako run`: load a model, evaluate a prompt, stream the sampled text, and
// end with one timing line (prompt and generation tok/s) on stderr.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "hako/context.h"
#include "hako/model.h"
#include "runtime/generate.h"
#include "sample/sampler.h"
#include "tokenizer/stream_decoder.h"
#include "tokenizer/tokenizer.h"

namespace hako::cli {
namespace {

struct RunArgs {
  std::string model;
  LoadOptions load;
  std::string prompt;
  std::string tokens;
  int32_t n_predict = 128;
  int32_t n_ctx = 4096;
  int32_t n_ubatch = 512;
  int n_threads = 0;
  bool ignore_eos = false;
  SamplerOptions sampling;
};

void print_timing(const GenerateStats& s) {
  const double pp = s.prompt_seconds > 0 ? s.n_prompt_eval / s.prompt_seconds : 0;
  const double tg = s.gen_seconds > 0 ? s.n_gen / s.gen_seconds : 0;
  std::fprintf(stderr,
               "\n[prompt: %d tokens (%d reused) in %.2f s, %.1f tok/s | generation: %d tokens in "
               "%.2f s, %.1f tok/s]\n",
               s.n_prompt_eval, s.n_prompt_reused, s.prompt_seconds, pp, s.n_gen, s.gen_seconds, tg);
}

void run(const RunArgs& a) {
  if (a.prompt.empty() == a.tokens.empty())
    throw Error(ErrorKind::kInvalidArgument, "give exactly one of -p TEXT or --tokens IDS");
  Model model = Model::load(a.model, a.load);
  const auto tok = std::make_unique<tokenizer::Tokenizer>(tokenizer::Tokenizer::from_gguf_path(a.model));
  std::vector<int32_t> prompt =
      a.tokens.empty()
          ? tok->encode(a.prompt, {.add_special = tokenizer::AddSpecial::kYes,
                                   .parse_special = tokenizer::ParseSpecial::kYes})
          : parse_id_list(a.tokens, "--tokens");
  if (prompt.empty()) throw Error(ErrorKind::kInvalidArgument, "the prompt has no tokens");
  for (int32_t id : prompt)
    if (id >= model.n_vocab())
      throw Error(ErrorKind::kInvalidArgument, "--tokens: id " + std::to_string(id) +
                                                   " is outside the vocabulary (n_vocab " +
                                                   std::to_string(model.n_vocab()) + ")");
  Context ctx(model, {.n_ctx = a.n_ctx, .n_ubatch = a.n_ubatch,
                      .n_threads = a.n_threads > 0 ? a.n_threads : default_threads()});
  if (static_cast<int64_t>(prompt.size()) >= ctx.n_ctx())
    throw Error(ErrorKind::kLimit, "the prompt has " + std::to_string(prompt.size()) +
                                       " tokens but the context holds " + std::to_string(ctx.n_ctx()) +
                                       " (raise -c)");
  Sampler sampler(a.sampling, model.n_vocab());
  Session session(ctx);
  tokenizer::StreamDecoder stream(*tok, {.special = tokenizer::SpecialTokens::kHide});
  std::fputs(tok->decode(prompt, {.special = tokenizer::SpecialTokens::kHide}).c_str(), stdout);
  std::fflush(stdout);
  const std::vector<int32_t> stops = a.ignore_eos ? std::vector<int32_t>{} : tok->eog_ids();
  const GenerateStats stats =
      generate(session, prompt, sampler, {.n_predict = a.n_predict, .stop_ids = stops}, [&](int32_t id) {
        if (!tok->is_eog(id) || a.ignore_eos) {
          std::fputs(stream.push(id).c_str(), stdout);
          std::fflush(stdout);
        }
        return TokenVerdict::kContinue;
      });
  std::fputs(stream.flush().c_str(), stdout);
  std::fflush(stdout);
  print_timing(stats);
}

}  // namespace

void register_run(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Generate text from a prompt");
  cmd->add_option("-m,--model", a->model, "GGUF model file")->required();
  add_load_flags(cmd, &a->load);
  cmd->add_option("-p,--prompt", a->prompt, "Prompt text (special tokens like <|im_start|> are parsed)");
  cmd->add_option("--tokens", a->tokens, "Prompt as comma-separated token ids instead of text");
  cmd->add_option("-n,--n-predict", a->n_predict, "Tokens to generate (-1: until EOS or full context)")
      ->capture_default_str();
  cmd->add_option("-c,--ctx-size", a->n_ctx, "Context size in tokens (0: the model's)")->capture_default_str();
  cmd->add_option("-b,--ubatch", a->n_ubatch, "Most tokens per forward pass")->capture_default_str();
  cmd->add_option("-t,--threads", a->n_threads, "Threads (default: all cores)");
  cmd->add_option("--temp", a->sampling.temperature, "Temperature (0: greedy)")->capture_default_str();
  cmd->add_option("--top-k", a->sampling.top_k, "Top-k (0: off)")->capture_default_str();
  cmd->add_option("--top-p", a->sampling.top_p, "Top-p (1: off)")->capture_default_str();
  cmd->add_option("--min-p", a->sampling.min_p, "Min-p (0: off)")->capture_default_str();
  cmd->add_option("--repeat-penalty", a->sampling.repeat_penalty, "Repetition penalty (1: off)")
      ->capture_default_str();
  cmd->add_option("--repeat-last-n", a->sampling.repeat_last_n, "Tokens the penalty looks back over")
      ->capture_default_str();
  cmd->add_option("-s,--seed", a->sampling.seed, "Random seed")->capture_default_str();
  cmd->add_flag("--ignore-eos", a->ignore_eos, "Do not stop at end-of-generation tokens");
  cmd->callback([a] { run(*a); });
}

}  // namespace hako::cli
