// `hako bench`: prefill and decode speed of a model, and for decode the GB/s
// of weights + KV cache read per token against the machine's measured read
// bandwidth (the roofline). Like llama-bench: random token ids, one warm-up
// run, the median of -r repetitions; tests at each thread count and depth.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "base/cpu_features.h"
#include "base/error.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "gguf/gguf_file.h"
#include "hako/context.h"
#include "hako/model.h"
#include "kernels/bandwidth.h"
#include "kernels/thread_pool.h"

namespace hako::cli {
namespace {

struct BenchArgs {
  std::string model;
  LoadOptions load;
  int32_t n_prompt = 512;
  int32_t n_gen = 128;
  std::string threads;  // "1,2"
  std::string depths = "0";
  int repetitions = 3;
  bool json = false;
};

// Bytes one decoded token reads: every weight matrix once (the embedding
// table only one row, unless it is also the output head), plus the KV cache.
struct ReadModel {
  double weight_bytes = 0;
  double kv_bytes_per_cell = 0;  // K + V bytes of one token position, all layers (f16)
};

ReadModel read_model(const std::string& path) {
  const gguf::GgufFile f = gguf::GgufFile::open_or_throw(path);
  ReadModel r;
  const bool tied = f.find_tensor("output.weight") == nullptr;
  for (const gguf::TensorInfo& t : f.tensors()) {
    if (t.name == "token_embd.weight" && !tied)
      r.weight_bytes += static_cast<double>(t.n_bytes) / static_cast<double>(t.ne[1]);
    else
      r.weight_bytes += static_cast<double>(t.n_bytes);
  }
  const std::string arch = f.architecture();
  const double n_layer = f.get_u32(arch + ".block_count").value_or(0);
  const double n_embd = f.get_u32(arch + ".embedding_length").value_or(0);
  const double n_head = f.get_u32(arch + ".attention.head_count").value_or(1);
  const double n_head_kv = f.get_u32(arch + ".attention.head_count_kv").value_or(n_head);
  const double dk = f.get_u32(arch + ".attention.key_length").value_or(n_embd / n_head);
  const double dv = f.get_u32(arch + ".attention.value_length").value_or(n_embd / n_head);
  r.kv_bytes_per_cell = n_layer * n_head_kv * (dk + dv) * 2.0;
  return r;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

struct TestResult {
  int threads, depth;
  double prefill_tok_s, decode_tok_s, decode_gbps;
};

// Fills the session to `depth` tokens with random ids (untimed).
void fill_depth(Context& ctx, int32_t depth, std::vector<int32_t>& ids, std::mt19937& rng,
                int32_t n_vocab) {
  ctx.clear();
  ids.resize(static_cast<size_t>(depth));
  std::uniform_int_distribution<int32_t> dist(0, n_vocab - 1);
  for (int32_t& id : ids) id = dist(rng);
  if (depth > 0) ctx.eval(ids, Logits::kLast);
}

double time_prefill(Context& ctx, const BenchArgs& a, int32_t depth, std::mt19937& rng) {
  std::vector<int32_t> ids;
  fill_depth(ctx, depth, ids, rng, ctx.n_vocab());
  fill_depth(ctx, 0, ids, rng, ctx.n_vocab());
  std::vector<int32_t> prompt(static_cast<size_t>(a.n_prompt));
  std::uniform_int_distribution<int32_t> dist(0, ctx.n_vocab() - 1);
  for (int32_t& id : prompt) id = dist(rng);
  std::vector<int32_t> prefix(static_cast<size_t>(depth));
  for (int32_t& id : prefix) id = dist(rng);
  if (depth > 0) ctx.eval(prefix, Logits::kLast);
  const auto t0 = std::chrono::steady_clock::now();
  ctx.eval(prompt, Logits::kLast);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return a.n_prompt / s;
}

double time_decode(Context& ctx, const BenchArgs& a, int32_t depth, std::mt19937& rng) {
  std::vector<int32_t> ids;
  fill_depth(ctx, depth, ids, rng, ctx.n_vocab());
  int32_t id = static_cast<int32_t>(rng() % static_cast<uint32_t>(ctx.n_vocab()));
  const auto t0 = std::chrono::steady_clock::now();
  for (int32_t i = 0; i < a.n_gen; ++i) {
    std::span<const float> logits = ctx.eval(std::span<const int32_t>(&id, 1), Logits::kLast);
    id = static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return a.n_gen / s;
}

void bench(const BenchArgs& a) {
  if (a.n_prompt < 0 || a.n_gen < 0 || a.repetitions < 1)
    throw Error(ErrorKind::kInvalidArgument, "-p and -n must be >= 0 and -r >= 1");
  const std::vector<int32_t> threads =
      a.threads.empty() ? std::vector<int32_t>{default_threads()} : parse_id_list(a.threads, "-t");
  const std::vector<int32_t> depths = parse_id_list(a.depths, "--depth");
  for (int32_t t : threads)
    if (t < 1) throw Error(ErrorKind::kInvalidArgument, "-t: thread counts must be >= 1");
  const ReadModel rm = read_model(a.model);
  const auto t_load = std::chrono::steady_clock::now();
  Model model = Model::load(a.model, a.load);
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();
  std::mt19937 rng(1234);
  const std::string name = a.model.substr(a.model.find_last_of('/') + 1);
  if (!a.json) {
    std::printf("model: %s (%s, %.1f MB weights read per token), load %.3f s (%.0f MB repacked in %.3f s), cpu: %s\n",
                name.c_str(), std::string(model.architecture()).c_str(), rm.weight_bytes / 1e6,
                load_s, model.relaid_bytes() / 1e6, model.relayout_seconds(), to_string(cpu_features()).c_str());
    std::printf("| threads | depth | prefill tok/s | decode tok/s | decode GB/s | bandwidth GB/s | roofline %% |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|\n");
  }
  // All tests first, then the bandwidth probe: its buffer would otherwise
  // count in the peak RSS reported for the model.
  std::vector<TestResult> results;
  for (int32_t t : threads) {
    for (int32_t depth : depths) {
      // Batches of up to 512 tokens whatever -p is: the depth fill is a
      // prefill too (with -p 0 it used to go one token at a time).
      const int32_t ubatch = std::min(512, std::max({1, a.n_prompt, depth}));
      Context ctx(model, {.n_ctx = depth + std::max(a.n_prompt, a.n_gen) + 16, .n_ubatch = ubatch, .n_threads = t});
      std::vector<double> pp, tg;
      if (a.n_prompt > 0) time_prefill(ctx, a, depth, rng);  // warm-up
      for (int r = 0; r < a.repetitions && a.n_prompt > 0; ++r) pp.push_back(time_prefill(ctx, a, depth, rng));
      if (a.n_gen > 0) time_decode(ctx, {.n_gen = std::min(a.n_gen, 16)}, depth, rng);  // warm-up
      for (int r = 0; r < a.repetitions && a.n_gen > 0; ++r) tg.push_back(time_decode(ctx, a, depth, rng));
      results.push_back({t, depth, median(pp), median(tg), 0.0});
    }
  }
  const double rss = peak_rss_mb();
  for (int32_t t : threads) {
    ThreadPool pool(t);
    const double bw = measure_read_bandwidth_gbps(pool, {.n_bytes = uint64_t{512} << 20, .n_repeats = 3});
    for (TestResult& r : results) {
      if (r.threads != t) continue;
      // KV read per decoded token: the cells before it, averaged over the run.
      const double kv = rm.kv_bytes_per_cell * (r.depth + a.n_gen / 2.0);
      r.decode_gbps = (rm.weight_bytes + kv) * r.decode_tok_s / 1e9;
      if (a.json) {
        nlohmann::ordered_json j = {{"model", name}, {"arch", std::string(model.architecture())},
                                    {"threads", t}, {"n_prompt", a.n_prompt}, {"n_gen", a.n_gen},
                                    {"depth", r.depth}, {"prefill_tok_s", r.prefill_tok_s},
                                    {"decode_tok_s", r.decode_tok_s}, {"decode_gbps", r.decode_gbps},
                                    {"bandwidth_gbps", bw}, {"weight_bytes_per_token", rm.weight_bytes},
                                    {"kv_bytes_per_token", kv}, {"load_seconds", load_s},
                                    {"repacked_bytes", model.relaid_bytes()},
                                    {"peak_rss_mb", rss}};
        std::printf("%s\n", j.dump().c_str());
      } else {
        std::printf("| %d | %d | %.1f | %.2f | %.1f | %.1f | %.0f |\n", t, r.depth, r.prefill_tok_s,
                    r.decode_tok_s, r.decode_gbps, bw, 100.0 * r.decode_gbps / bw);
      }
    }
  }
  if (!a.json) std::printf("peak RSS: %.0f MB (before the bandwidth probe)\n", rss);
}

}  // namespace

void register_bench(CLI::App& app) {
  auto a = std::make_shared<BenchArgs>();
  auto* cmd = app.add_subcommand("bench", "Measure prefill and decode speed against the memory roofline");
  cmd->add_option("-m,--model", a->model, "GGUF model file")->required();
  add_load_flags(cmd, &a->load);
  cmd->add_option("-p,--n-prompt", a->n_prompt, "Prompt tokens for the prefill test (0: skip)")->capture_default_str();
  cmd->add_option("-n,--n-gen", a->n_gen, "Tokens for the decode test (0: skip)")->capture_default_str();
  cmd->add_option("-t,--threads", a->threads, "Thread counts, comma-separated (default: all cores)");
  cmd->add_option("-d,--depth", a->depths, "Tokens already in the context, comma-separated")->capture_default_str();
  cmd->add_option("-r,--repetitions", a->repetitions, "Timed runs per test (median reported)")->capture_default_str();
  cmd->add_flag("--json", a->json, "One JSON object per test instead of a table");
  cmd->callback([a] { bench(*a); });
}

}  // namespace hako::cli
