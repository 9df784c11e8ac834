// split_rows(): runs a per-row layer step (norms, element-wise ops) over the
// batch rows split across a thread pool's threads, so that during prefill
// these steps do not run on one core while the others wait at the next
// matmul. Each row is processed by exactly one thread with the same code as
// unsplit, so results do not depend on the thread count. Not here: matmul's
// own split (kernels/matmul.cpp).
#pragma once

#include <cstdint>

#include "kernels/thread_pool.h"

namespace hako::model::layers {

// Batches below this many rows run on the calling thread (a barrier costs
// more than a few rows of a norm).
inline constexpr int64_t kMinRowsToSplit = 4;

// Calls fn(first_row, n_rows_in_range) on disjoint ranges covering
// [0, n_rows): one range on the caller for small batches or a one-thread
// pool, else one contiguous range per thread (one barrier). fn must not
// throw or call pool.run().
template <class F>
void split_rows(ThreadPool& pool, int64_t n_rows, F&& fn) noexcept {
  if (n_rows < kMinRowsToSplit || pool.n_threads() == 1) {
    fn(int64_t{0}, n_rows);
    return;
  }
  pool.run([&](int ith, int nth) {
    const int64_t r0 = n_rows * ith / nth, r1 = n_rows * (ith + 1) / nth;
    if (r1 > r0) fn(r0, r1 - r0);
  });
}

}  // namespace hako::model::layers
