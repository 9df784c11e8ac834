// A memory read-bandwidth probe: the roofline that decode speed is measured
// against (`hako bench` and bench/kernels report GB/s of weights as a
// fraction of it). It reads a large buffer with every thread of a pool, the
// way a matmul streams weights. Not a kernel: it allocates its buffer.
#pragma once

#include <cstdint>

#include "kernels/thread_pool.h"

namespace hako {

struct BandwidthOptions {
  uint64_t n_bytes = uint64_t{1} << 30;  // buffer size; far larger than the caches
  int n_repeats = 5;                     // passes; the best one is reported
};

// Best read bandwidth over the passes, in GB/s (1e9 bytes per second), with
// all pool threads each reading a contiguous slice. Allocates and touches
// options.n_bytes (freed before returning); takes ~1 s for the defaults.
// Throws std::bad_alloc if the buffer cannot be allocated.
double measure_read_bandwidth_gbps(ThreadPool& pool, const BandwidthOptions& options = {});

}  // namespace hako
