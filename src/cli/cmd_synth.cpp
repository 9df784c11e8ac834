// `hako synth --shape NAME --type T -o FILE [--seed S] [--threads N]` and
// `hako synth --list`: writes a random-weight model with a published model's
// architecture, shapes, metadata and vocabulary size (cli/synth/). For
// benchmarks and loader tests only: the weights are noise.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "base/error.h"
#include "cli/commands.h"
#include "cli/synth/synth_model.h"

namespace hako::cli {
namespace {

struct SynthArgs {
  std::string shape;
  std::string type = "q4_K_M";
  std::string output;
  uint64_t seed = 1;
  int n_threads = 0;
  bool list = false;
};

std::string joined(const std::vector<std::string_view>& names) {
  std::string s;
  for (std::string_view n : names) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

void print_list() {
  std::printf("%-14s %-6s %6s %6s %5s %5s %6s %7s %8s %s\n", "shape", "arch", "n_embd", "layers",
              "heads", "kv", "n_ff", "n_vocab", "params", "embeddings");
  const auto f16 = *synth::parse_synth_type("f16");
  for (const synth::ModelShape& s : synth::builtin_shapes()) {
    const double params = static_cast<double>(synth::count_params(synth::plan_tensors(s, f16)));
    std::printf("%-14s %-6s %6u %6u %5u %5u %6u %7u %7.2fB %s\n", std::string(s.name).c_str(),
                std::string(synth::arch_name(s.arch)).c_str(), s.n_embd, s.n_layer, s.n_head,
                s.n_head_kv, s.n_ff, s.n_vocab, params / 1e9,
                s.embeddings == synth::Embeddings::kTied ? "tied" : "separate");
  }
  std::printf("types: %s\n", joined(synth::synth_type_names()).c_str());
}

void run_synth(const SynthArgs& a) {
  if (a.list) {
    print_list();
    return;
  }
  if (a.shape.empty() || a.output.empty())
    throw Error(ErrorKind::kInvalidArgument, "synth needs --shape and -o (or --list)");
  const synth::ModelShape* shape = synth::find_shape(a.shape);
  if (!shape) {
    std::vector<std::string_view> names;
    for (const auto& s : synth::builtin_shapes()) names.push_back(s.name);
    throw Error(ErrorKind::kInvalidArgument,
                "unknown --shape '" + a.shape + "' (known: " + joined(names) + ")");
  }
  const auto type = synth::parse_synth_type(a.type);
  if (!type) {
    throw Error(ErrorKind::kInvalidArgument,
                "unknown --type '" + a.type + "' (known: " + joined(synth::synth_type_names()) + ")");
  }
  const auto t0 = std::chrono::steady_clock::now();
  const synth::SynthResult r = synth::write_synth_model(
      *shape, {.path = a.output, .type = *type, .seed = a.seed, .n_threads = a.n_threads});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("wrote %s: %s %s, %zu tensors, %.3f B params, %.1f MiB of weights in %.1f s\n",
              a.output.c_str(), std::string(shape->name).c_str(), std::string(type->name).c_str(),
              r.n_tensors, static_cast<double>(r.n_params) / 1e9,
              static_cast<double>(r.tensor_bytes) / (1024.0 * 1024.0), s);
}

}  // namespace

void register_synth(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "synth", "Write a random-weight GGUF model with a published model's shapes (for benchmarks)");
  auto args = std::make_shared<SynthArgs>();
  cmd->add_option("--shape", args->shape, "Model shape (see --list)");
  cmd->add_option("--type", args->type, "Weight type: " + joined(synth::synth_type_names()))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Output GGUF file");
  cmd->add_option("--seed", args->seed, "PRNG seed")->capture_default_str();
  cmd->add_option("--threads", args->n_threads, "Quantization threads (0: all cores)");
  cmd->add_flag("--list", args->list, "List the shapes and types");
  cmd->callback([args] { run_synth(*args); });
}

}  // namespace hako::cli
