// ThreadPool: a fixed set of persistent worker threads that run one parallel
// job at a time (fork-join). The caller of run() is thread 0 and takes part in
// the work; run() returns when every thread has finished its share, so a
// run() is one barrier. Workers spin for a short while after a job (decode
// issues hundreds of small jobs a token, and waking a sleeping thread costs
// ~10-50 us), then sleep on a futex. Nothing is allocated per run().
// This is not a task queue: there is no work stealing, no nesting (a job
// must not call run() on the same pool) and no futures.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <type_traits>
#include <vector>

namespace hako {

struct ThreadPoolOptions {
  // How long an idle thread polls for the next job before sleeping, in
  // microseconds. Longer keeps decode latency low; shorter frees the cores
  // sooner for other processes.
  int spin_us = 300;
};

class ThreadPool {
 public:
  // n_threads >= 1 (values < 1 are taken as 1); n_threads - 1 workers are
  // started here. Throws std::system_error if a thread cannot be created.
  explicit ThreadPool(int n_threads, ThreadPoolOptions options = {});
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int n_threads() const { return n_threads_; }

  // Calls fn(ith, nth) once on each of the nth = n_threads() threads, the
  // calling thread being ith = 0, and returns when all calls have returned.
  // Writes made by any call are visible to the caller afterwards. fn must not
  // throw and must not call run(). Only one thread may call run() at a time.
  template <class F>
  void run(F&& fn) noexcept {
    using Fn = std::remove_reference_t<F>;
    run_erased(
        [](void* ctx, int ith, int nth) { (*static_cast<Fn*>(ctx))(ith, nth); },
        const_cast<void*>(static_cast<const void*>(&fn)));
  }

 private:
  using Trampoline = void (*)(void* ctx, int ith, int nth);

  void run_erased(Trampoline fn, void* ctx) noexcept;
  void worker_main(int ith);
  // Spins then sleeps until `word` differs from `old`; sleepers counts the
  // threads asleep on it so the writer can skip the wake-up syscall.
  void wait_change(std::atomic<uint32_t>& word, uint32_t old, std::atomic<int>& sleepers) const;

  int n_threads_;
  int spin_us_;
  std::vector<std::thread> workers_;
  Trampoline job_fn_ = nullptr;  // written before generation_ is bumped
  void* job_ctx_ = nullptr;
  bool stop_ = false;

  alignas(64) std::atomic<uint32_t> generation_{0};  // bumped once per job
  std::atomic<int> gen_sleepers_{0};
  alignas(64) std::atomic<uint32_t> n_done_{0};      // workers finished this job
  std::atomic<int> done_sleepers_{0};
};

}  // namespace hako
