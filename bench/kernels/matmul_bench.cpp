// Kernel micro-benchmarks: matvec (n_tok = 1) and matmul (n_tok = 64, 512)
// per weight format, shape, kernel level and thread count, reporting GB/s of
// weights read and GOP/s (2 * n_out * n_in * n_tok per matmul), plus the
// machine's read bandwidth (kernels/bandwidth.h) as the decode roofline.
// Shapes "memory-bound" cycle through copies of the weights totalling more
// than the L3 cache, so every matmul streams its weights from DRAM; the
// 1024x1024 shape keeps one copy (cache-resident). Activation quantization is
// timed separately (BM_quantize_acts). Run: bench_kernels [--benchmark_filter=...]
// [--benchmark_repetitions=10 --benchmark_report_aggregates_only=true] and
// read the _min rows on a busy machine.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kernels/bandwidth.h"
#include "kernels/dispatch.h"
#include "kernels/matmul.h"
#include "quant/interleave.h"
#include "quant/traits.h"

namespace hako {
namespace {

constexpr uint64_t kStreamBytes = uint64_t{192} << 20;  // > L3 (32 MiB here)

struct alignas(64) Line { uint8_t b[64]; };

struct Setup {
  GgmlType type;
  int64_t n_out, n_in, n_tok;
  int n_threads;
  Isa isa;
  bool stream;  // cycle through copies larger than the L3
  RowLayout layout = RowLayout::kRows;  // kX8: weights interleaved as the loader stores them
};

// Random weights: quantize one row of random floats, reuse it for every row
// with a per-row perturbation of the bytes that keeps the scales sane.
std::vector<Line> make_weights(GgmlType t, int64_t n_out, int64_t n_in, int n_copies) {
  const uint64_t rb = row_bytes(t, static_cast<uint64_t>(n_in));
  std::vector<Line> w((rb * n_out * n_copies + 63) / 64);
  auto* p = reinterpret_cast<uint8_t*>(w.data());
  std::mt19937 rng(5);
  std::normal_distribution<float> nd(0.0f, 0.05f);
  std::vector<float> row(static_cast<size_t>(n_in));
  std::vector<uint8_t> q(rb);
  const int n_distinct = 16;
  for (int k = 0; k < n_distinct; ++k) {
    for (auto& v : row) v = nd(rng);
    quant_traits(t).from_float_ref(row.data(), q.data(), n_in);
    for (int64_t r = k; r < n_out * n_copies; r += n_distinct) std::memcpy(p + rb * r, q.data(), rb);
  }
  return w;
}

void BM_matmul(benchmark::State& state, Setup s) {
  const KernelTable* kt = kernels_for(s.isa);
  if (!kt) {
    state.SkipWithError("kernel level not supported on this CPU");
    return;
  }
  const uint64_t w_bytes = row_bytes(s.type, s.n_in) * s.n_out;
  const int n_copies = s.stream ? static_cast<int>((kStreamBytes + w_bytes - 1) / w_bytes) : 1;
  std::vector<Line> w = make_weights(s.type, s.n_out, s.n_in, n_copies);
  if (s.layout == RowLayout::kX8) {
    std::vector<Line> plain = w;
    interleave_x8(s.type, reinterpret_cast<const uint8_t*>(plain.data()), reinterpret_cast<uint8_t*>(w.data()),
                  s.n_out * n_copies, s.n_in);
  }
  std::vector<float> x(static_cast<size_t>(s.n_in * s.n_tok));
  std::mt19937 rng(9);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  for (auto& v : x) v = nd(rng);
  ThreadPool pool(s.n_threads);
  const Exec exec{pool, *kt};
  const ActsShape shape{.weight_type = s.type, .n_in = s.n_in, .n_tok = s.n_tok};
  std::vector<Line> abuf(quantize_acts_bytes(shape, *kt) / 64 + 1);
  const QuantizedActs acts = quantize_acts(shape, x.data(), abuf.data(), exec);
  std::vector<float> y(static_cast<size_t>(s.n_out * s.n_tok));
  TensorView wv;
  wv.type = s.type;
  wv.ne = {s.n_in, s.n_out, 1, 1};
  wv.layout = s.layout;
  int copy = 0;
  for (auto _ : state) {
    wv.data = reinterpret_cast<const uint8_t*>(w.data()) + w_bytes * static_cast<uint64_t>(copy);
    copy = (copy + 1) % n_copies;
    matmul(wv, acts, MatmulOut{.y = y.data()}, exec);
    benchmark::ClobberMemory();
  }
  const double iters = static_cast<double>(state.iterations());
  state.counters["GB/s"] = benchmark::Counter(iters * static_cast<double>(w_bytes) / 1e9, benchmark::Counter::kIsRate);
  state.counters["GOP/s"] = benchmark::Counter(iters * 2.0 * s.n_out * s.n_in * s.n_tok / 1e9, benchmark::Counter::kIsRate);
}

void BM_quantize_acts(benchmark::State& state, GgmlType type, int64_t n_in, int64_t n_tok) {
  std::vector<float> x(static_cast<size_t>(n_in * n_tok), 0.5f);
  ThreadPool pool(1);
  const ActsShape shape{.weight_type = type, .n_in = n_in, .n_tok = n_tok};
  std::vector<Line> abuf(quantize_acts_bytes(shape) / 64 + 1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(quantize_acts(shape, x.data(), abuf.data(), pool));
  }
  state.counters["Gelem/s"] = benchmark::Counter(double(state.iterations()) * n_in * n_tok / 1e9, benchmark::Counter::kIsRate);
}

void BM_bandwidth(benchmark::State& state, int n_threads) {
  ThreadPool pool(n_threads);
  double gbps = 0;
  for (auto _ : state) gbps = measure_read_bandwidth_gbps(pool, {.n_bytes = uint64_t{1} << 30, .n_repeats = 5});
  state.counters["GB/s"] = gbps;
}

// With --benchmark_repetitions=N, the "_min" row is the least disturbed run
// (the 2-core machines this targets are often shared).
double min_of(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end()); }

void register_all() {
  for (int nth : {1, 2}) {
    benchmark::RegisterBenchmark(("bandwidth/threads:" + std::to_string(nth)).c_str(), BM_bandwidth, nth)
        ->Iterations(1)->Unit(benchmark::kMillisecond);
  }
  struct Shape { int64_t n_out, n_in; bool stream; };
  const Shape shapes[] = {{1024, 1024, false}, {3072, 1024, true}, {1024, 3072, true}, {4096, 4096, true}};
  const GgmlType types[] = {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q6_K};
  const Isa best = active_kernels().isa;
  for (GgmlType t : types) {
    for (const Shape& sh : shapes) {
      for (int64_t n_tok : {1, 64, 512}) {
        for (int nth : {1, 2}) {
          for (Isa isa : {best, Isa::kAvx2}) {
            if (isa == Isa::kAvx2 && (best == Isa::kAvx2 || n_tok == 1) ) continue;
            const std::string name = "matmul/" + std::string(to_string(t)) + "/" + std::to_string(sh.n_out) + "x" +
                                     std::to_string(sh.n_in) + "/tok:" + std::to_string(n_tok) + "/" +
                                     std::string(to_string(isa)) + "/threads:" + std::to_string(nth);
            benchmark::RegisterBenchmark(name.c_str(), BM_matmul, Setup{t, sh.n_out, sh.n_in, n_tok, nth, isa, sh.stream})
                ->Unit(benchmark::kMicrosecond)
                ->UseRealTime()
                ->ComputeStatistics("min", min_of);
            if (isa == best && has_x8_layout(t)) {
              const std::string name_x8 = "matmul/" + std::string(to_string(t)) + "x8" + name.substr(name.find('/', 7));
              benchmark::RegisterBenchmark(name_x8.c_str(), BM_matmul,
                                           Setup{t, sh.n_out, sh.n_in, n_tok, nth, isa, sh.stream, RowLayout::kX8})
                  ->Unit(benchmark::kMicrosecond)
                  ->UseRealTime()
                  ->ComputeStatistics("min", min_of);
            }
          }
        }
      }
    }
  }
  for (GgmlType t : {GgmlType::Q8_0, GgmlType::Q4_K}) {
    for (int64_t n_tok : {1, 512}) {
      const std::string name = "quantize_acts/" + std::string(to_string(quant_traits(t).vec_dot_type)) + "/4096/tok:" + std::to_string(n_tok);
      benchmark::RegisterBenchmark(name.c_str(), BM_quantize_acts, t, int64_t{4096}, n_tok)->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace
}  // namespace hako

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  hako::register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
