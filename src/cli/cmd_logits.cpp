// `hako logits -m MODEL --tokens 1,2,3 --out FILE [-t N] [--ubatch N] [-c N]`:
// evaluates the token ids and writes the logits of every position as raw
// little-endian float32 [n_tokens][n_vocab] (row i: the logits after token
// i). The default evaluates all tokens in one forward pass (the prompt
// path); --ubatch 1 feeds them one at a time through the KV cache (the
// decode path). The output is written to FILE.tmp and renamed, so a failed
// run leaves no partial file. Used to compare hako with llama.cpp.
#include <CLI/CLI.hpp>

#include <bit>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "hako/context.h"
#include "hako/model.h"

namespace hako::cli {
namespace {

struct LogitsArgs {
  std::string model;
  LoadOptions load;
  std::string tokens;
  std::string out;
  int threads = 1;
  int ubatch = 0;  // 0: all tokens in one batch
  int ctx = 4096;  // raised to the token count if smaller
};

std::vector<int32_t> parse_tokens(const std::string& s) {
  std::vector<int32_t> ids;
  size_t at = 0;
  while (at <= s.size()) {
    const size_t comma = std::min(s.find(',', at), s.size());
    const std::string_view item(s.data() + at, comma - at);
    int32_t v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) {
      throw Error(ErrorKind::kInvalidArgument,
                  "--tokens: '" + std::string(item) + "' is not a token id (expected e.g. 1,2,3)");
    }
    ids.push_back(v);
    at = comma + 1;
  }
  return ids;
}

void write_atomically(const std::string& path, std::span<const float> data) {
  static_assert(std::endian::native == std::endian::little, "logits are written little-endian");
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw Error(ErrorKind::kIo, "cannot open '" + tmp + "' for writing");
  const bool written = std::fwrite(data.data(), sizeof(float), data.size(), f) == data.size();
  const bool closed = std::fclose(f) == 0;  // always closed, also after a short write
  if (!written || !closed || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(ErrorKind::kIo, "cannot write '" + path + "'");
  }
}

void run_logits(const LogitsArgs& a) {
  const std::vector<int32_t> ids = parse_tokens(a.tokens);
  const Model model = Model::load(a.model, a.load);
  const auto n = static_cast<int32_t>(ids.size());
  Context ctx(model, ContextOptions{.n_ctx = std::max(a.ctx, n),
                                    .n_ubatch = a.ubatch > 0 ? a.ubatch : n,
                                    .n_threads = a.threads});
  const std::span<const float> logits = ctx.eval(ids, Logits::kAll);
  write_atomically(a.out, logits);
  std::fprintf(stderr, "hako logits: %d tokens x %d logits -> %s\n", n, model.n_vocab(),
               a.out.c_str());
}

}  // namespace

void register_logits(CLI::App& app) {
  auto* cmd = app.add_subcommand("logits", "Write the logits of every position of a token list");
  auto args = std::make_shared<LogitsArgs>();
  cmd->add_option("-m,--model", args->model, "GGUF model file")->required();
  add_load_flags(cmd, &args->load);
  cmd->add_option("--tokens", args->tokens, "Comma-separated token ids, e.g. 1,2,3")->required();
  cmd->add_option("--out", args->out, "Output: raw little-endian f32 [n_tokens][n_vocab]")
      ->required();
  cmd->add_option("-t,--threads", args->threads, "Threads")->check(CLI::Range(1, 1024));
  cmd->add_option("--ubatch", args->ubatch,
                  "Tokens per forward pass (1 = one at a time through the KV cache; "
                  "default: all at once)")
      ->check(CLI::Range(1, 1 << 24));
  cmd->add_option("-c,--ctx-size", args->ctx, "Context length (KV cache cells)")
      ->check(CLI::Range(1, 1 << 24));
  cmd->callback([args] { run_logits(*args); });
}

}  // namespace hako::cli
