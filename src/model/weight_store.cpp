// WeightStore (see weight_store.h) on an anonymous mmap arena.
#include "model/weight_store.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "base/error.h"
#include "gguf/gguf_file.h"
#include "kernels/dispatch.h"
#include "quant/interleave.h"

namespace hako::model {
namespace {

constexpr uint64_t kAlign = 64;

uint64_t round_up(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

bool x8_candidate(GgmlType type, const std::array<int64_t, 4>& ne) {
  const int64_t n_rows = ne[1] * ne[2] * ne[3];
  return has_x8_layout(type) && n_rows % kX8Rows == 0 && ne[0] % 32 == 0 &&
         active_kernels().types[static_cast<uint32_t>(type)].x8_faster;
}

// Maps the pages of [p, p + len) in one call instead of one fault per page
// (a hint: older kernels refuse it, and the copy then faults them in).
enum class Populate { kRead, kWrite };

void populate([[maybe_unused]] const uint8_t* p, [[maybe_unused]] uint64_t len, [[maybe_unused]] Populate how) {
#if defined(MADV_POPULATE_READ) && defined(MADV_POPULATE_WRITE)  // Linux 5.14+
  const auto page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  const uint64_t a = reinterpret_cast<uintptr_t>(p) / page * page;
  const uint64_t b = (reinterpret_cast<uintptr_t>(p) + len + page - 1) / page * page;
  ::madvise(reinterpret_cast<void*>(a), b - a, how == Populate::kRead ? MADV_POPULATE_READ : MADV_POPULATE_WRITE);
#endif
}

// interleave_x8 of v into dst, the row groups split over the cores: the
// copy's cost is mostly the first touch of the new pages (the kernel zeroing
// them), which then runs on every core.
void interleave_parallel(const TensorView& v, uint8_t* dst) {
  constexpr int64_t kMinRowsPerThread = 256;
  const int64_t n_rows = v.n_rows(), n_groups = n_rows / kX8Rows;
  const int n_threads = static_cast<int>(std::clamp<int64_t>(
      std::min<int64_t>(std::thread::hardware_concurrency(), n_rows / kMinRowsPerThread), 1, 16));
  const uint64_t rb = v.row_size();
  const auto* src = static_cast<const uint8_t*>(v.data);
  auto part = [&](int i) {
    const int64_t g0 = n_groups * i / n_threads, g1 = n_groups * (i + 1) / n_threads;
    const uint64_t off = static_cast<uint64_t>(g0 * kX8Rows) * rb;
    const uint64_t len = static_cast<uint64_t>((g1 - g0) * kX8Rows) * rb;
    populate(src + off, len, Populate::kRead);
    populate(dst + off, len, Populate::kWrite);
    interleave_x8(v.type, src + off, dst + off, (g1 - g0) * kX8Rows, v.ne[0]);
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < n_threads; ++i) threads.emplace_back(part, i);
  part(0);
  for (auto& t : threads) t.join();
}

}  // namespace

bool wants_x8(const TensorView& v) { return v.layout == RowLayout::kRows && x8_candidate(v.type, v.ne); }

WeightStore::WeightStore(const gguf::GgufFile& file, WeightLayoutPolicy policy) : file_(file), policy_(policy) {
  if (policy_ == WeightLayoutPolicy::kAsStored) return;
  for (const gguf::TensorInfo& t : file.tensors()) {
    if (x8_candidate(t.type, t.ne)) capacity_ += round_up(t.n_bytes, kAlign);
  }
}

WeightStore::~WeightStore() {
  if (arena_) ::munmap(arena_, capacity_);
}

TensorView WeightStore::adopt(const TensorView& v) {
  if (policy_ == WeightLayoutPolicy::kAsStored || !wants_x8(v)) return v;
  const uint64_t n = v.n_bytes();
  if (arena_ == nullptr) {
    void* p = ::mmap(nullptr, capacity_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      throw Error(ErrorKind::kLimit, file_.path() + ": cannot reserve " + std::to_string(capacity_ >> 20) +
                                         " MiB for the interleaved weights (load with the stored layout instead)");
    }
    arena_ = static_cast<uint8_t*>(p);
  }
  HAKO_ASSERT(used_ + n <= capacity_);
  const auto t0 = std::chrono::steady_clock::now();
  uint8_t* dst = arena_ + used_;
  interleave_parallel(v, dst);
  file_.release(v.data, n);
  used_ += round_up(n, kAlign);
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  TensorView out = v;
  out.data = dst;
  out.layout = RowLayout::kX8;
  return out;
}

}  // namespace hako::model
