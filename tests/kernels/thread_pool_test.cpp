// ThreadPool: every thread runs every job exactly once, run() is a full
// barrier (writes of one job are visible to the next and to the caller), on
// both the spinning and the sleeping wake-up paths. Meant to run under TSan.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "kernels/thread_pool.h"

namespace hako {
namespace {

void check_barrier(int n_threads, int spin_us, int n_runs) {
  ThreadPool pool(n_threads, ThreadPoolOptions{.spin_us = spin_us});
  ASSERT_EQ(pool.n_threads(), n_threads);
  std::vector<int> slot(static_cast<size_t>(n_threads), -1);  // plain ints: TSan checks the ordering
  std::atomic<int> bad{0};
  for (int run = 0; run < n_runs; ++run) {
    pool.run([&](int ith, int nth) {
      if (nth != n_threads || ith < 0 || ith >= nth) bad.fetch_add(1);
      // The previous job's writes by every thread must be visible here.
      for (int j = 0; j < nth; ++j) {
        if (slot[static_cast<size_t>(j)] != run - 1) bad.fetch_add(1);
      }
    });
    pool.run([&](int ith, int) { slot[static_cast<size_t>(ith)] = run; });
    for (int j = 0; j < n_threads; ++j) ASSERT_EQ(slot[static_cast<size_t>(j)], run) << "run " << run;
  }
  EXPECT_EQ(bad.load(), 0);
}

TEST(ThreadPool, OneThreadRunsInline) { check_barrier(1, 300, 100); }
TEST(ThreadPool, TwoThreadsSpinning) { check_barrier(2, 300, 1000); }
TEST(ThreadPool, FourThreadsSpinning) { check_barrier(4, 300, 300); }
TEST(ThreadPool, ThreeThreadsSleeping) { check_barrier(3, 0, 300); }

TEST(ThreadPool, SleepsBetweenSparseJobs) {
  ThreadPool pool(2, ThreadPoolOptions{.spin_us = 10});
  std::atomic<int> calls{0};
  for (int i = 0; i < 20; ++i) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // workers fall asleep
    pool.run([&](int, int) { calls.fetch_add(1); });
  }
  EXPECT_EQ(calls.load(), 40);
}

TEST(ThreadPool, SumsDisjointSlices) {
  ThreadPool pool(3);
  std::vector<int64_t> v(10007);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(i);
  std::vector<int64_t> part(3, 0);
  pool.run([&](int ith, int nth) {
    const size_t b = v.size() * static_cast<size_t>(ith) / static_cast<size_t>(nth);
    const size_t e = v.size() * static_cast<size_t>(ith + 1) / static_cast<size_t>(nth);
    for (size_t i = b; i < e; ++i) part[static_cast<size_t>(ith)] += v[i];
  });
  EXPECT_EQ(part[0] + part[1] + part[2], int64_t{10006} * 10007 / 2);
}

TEST(ThreadPool, DestroyWhileWorkersSleep) {
  for (int i = 0; i < 20; ++i) {
    ThreadPool pool(3, ThreadPoolOptions{.spin_us = 0});
    pool.run([](int, int) {});
  }
}

}  // namespace
}  // namespace hako
