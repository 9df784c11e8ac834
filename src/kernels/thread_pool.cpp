// ThreadPool implementation: a generation counter announces each job, a done
// counter reports its end; both are waited on by spinning for spin_us and
// then by std::atomic::wait (a futex on Linux). A seq_cst increment of the
// sleeper count before sleeping, and a seq_cst load of it after publishing,
// guarantee that a writer either sees the sleeper (and notifies) or the
// sleeper sees the new value (and never sleeps): no lost wake-ups.
#include "kernels/thread_pool.h"

#include <chrono>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace hako {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__)
  _mm_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

}  // namespace

ThreadPool::ThreadPool(int n_threads, ThreadPoolOptions options)
    : n_threads_(n_threads < 1 ? 1 : n_threads), spin_us_(options.spin_us < 0 ? 0 : options.spin_us) {
  workers_.reserve(static_cast<size_t>(n_threads_ - 1));
  for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this, i] { worker_main(i); });
}

ThreadPool::~ThreadPool() {
  if (workers_.empty()) return;
  stop_ = true;
  generation_.fetch_add(1);
  if (gen_sleepers_.load() > 0) generation_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::wait_change(std::atomic<uint32_t>& word, uint32_t old,
                             std::atomic<int>& sleepers) const {
  using Clock = std::chrono::steady_clock;
  // Pure spinning for the first few microseconds (the common case in
  // decode: the other threads finish within a few us of each other), then
  // spinning with yields, so that when there are more runnable threads than
  // cores the thread we wait for can run on this core; then sleep.
  constexpr auto kPureSpin = std::chrono::microseconds(5);
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::microseconds(spin_us_);
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (word.load(std::memory_order_acquire) != old) return;
      cpu_relax();
    }
    const auto now = Clock::now();
    if (now >= deadline) break;
    if (now - start > kPureSpin) std::this_thread::yield();
  }
  sleepers.fetch_add(1);
  while (word.load() == old) word.wait(old);
  sleepers.fetch_sub(1);
}

void ThreadPool::run_erased(Trampoline fn, void* ctx) noexcept {
  if (workers_.empty()) {
    fn(ctx, 0, 1);
    return;
  }
  job_fn_ = fn;
  job_ctx_ = ctx;
  n_done_.store(0, std::memory_order_relaxed);
  generation_.fetch_add(1);  // seq_cst: publishes the job (release) and orders the load below
  if (gen_sleepers_.load() > 0) generation_.notify_all();

  fn(ctx, 0, n_threads_);

  const auto target = static_cast<uint32_t>(n_threads_ - 1);
  for (uint32_t d; (d = n_done_.load(std::memory_order_acquire)) != target;) {
    wait_change(n_done_, d, done_sleepers_);
  }
}

void ThreadPool::worker_main(int ith) {
  uint32_t seen = 0;
  for (;;) {
    wait_change(generation_, seen, gen_sleepers_);
    seen = generation_.load(std::memory_order_acquire);
    if (stop_) return;
    job_fn_(job_ctx_, ith, n_threads_);
    n_done_.fetch_add(1);  // seq_cst: releases this thread's writes, orders the load below
    if (done_sleepers_.load() > 0) n_done_.notify_all();
  }
}

}  // namespace hako
