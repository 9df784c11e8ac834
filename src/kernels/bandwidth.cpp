// The read-bandwidth probe: each thread sums 64-bit words of its slice with
// eight independent accumulators (enough loads in flight to saturate memory
// with plain scalar code, so no ISA-specific variant is needed).
#include "kernels/bandwidth.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <new>

namespace hako {
namespace {

uint64_t sum_words(const uint64_t* p, uint64_t n) {
  uint64_t a[8] = {};
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) a[k] += p[i + static_cast<uint64_t>(k)];
  }
  for (; i < n; ++i) a[0] += p[i];
  uint64_t s = 0;
  for (uint64_t v : a) s ^= v;
  return s;
}

}  // namespace

double measure_read_bandwidth_gbps(ThreadPool& pool, const BandwidthOptions& options) {
  const uint64_t n_words = std::max<uint64_t>(options.n_bytes / 8, 1024);
  std::unique_ptr<uint64_t[]> buf(new uint64_t[n_words]);
  const int nth = pool.n_threads();
  auto slice = [&](int ith, uint64_t* begin, uint64_t* end) {
    const uint64_t per = (n_words + static_cast<uint64_t>(nth) - 1) / static_cast<uint64_t>(nth);
    const uint64_t b = std::min(n_words, per * static_cast<uint64_t>(ith));
    *begin = b;
    *end = std::min(n_words, b + per);
  };
  // First touch by the thread that reads the slice (NUMA placement, no lazy zero pages).
  pool.run([&](int ith, int) {
    uint64_t b, e;
    slice(ith, &b, &e);
    for (uint64_t i = b; i < e; ++i) buf[i] = i * 0x9e3779b97f4a7c15ull;
  });
  std::unique_ptr<uint64_t[]> sink(new uint64_t[static_cast<size_t>(nth) * 8]());
  double best = 0.0;
  for (int rep = 0; rep < std::max(options.n_repeats, 1); ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    pool.run([&](int ith, int) {
      uint64_t b, e;
      slice(ith, &b, &e);
      sink[static_cast<size_t>(ith) * 8] += sum_words(buf.get() + b, e - b);
    });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, static_cast<double>(n_words * 8) / s / 1e9);
  }
  volatile uint64_t keep = sink[0];
  (void)keep;
  return best;
}

}  // namespace hako
