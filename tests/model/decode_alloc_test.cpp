// Proves the forward pass allocates nothing: this binary replaces the global
// operator new / delete with counting versions, and counts while a context
// decodes tokens one at a time and evaluates a small batch (everything was
// planned when the context was created).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "hako/context.h"
#include "hako/model.h"
#include "support/testdata.h"

namespace {

std::atomic<bool> g_counting{false};
std::atomic<long> g_allocs{0};

void* counted_alloc(std::size_t n, std::size_t align) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (n == 0) n = 1;
  void* p = align > alignof(std::max_align_t) ? std::aligned_alloc(align, (n + align - 1) / align * align)
                                             : std::malloc(n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n, 0); }
void* operator new[](std::size_t n) { return counted_alloc(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try { return counted_alloc(n, 0); } catch (...) { return nullptr; }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try { return counted_alloc(n, 0); } catch (...) { return nullptr; }
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace hako {
namespace {

class DecodeAlloc : public ::testing::TestWithParam<const char*> {};

TEST_P(DecodeAlloc, ForwardPassAllocatesNothing) {
  const Model model = Model::load(test::testdata_path(std::string("reference/") + GetParam() + "/model.gguf"),
                                  LoadOptions{});
  Context ctx(model, {.n_ctx = 256, .n_ubatch = 16, .n_threads = 2});
  const std::vector<int32_t> prompt = {1, 450, 496, 354, 701, 432, 204, 975};
  ctx.eval(prompt, Logits::kLast);

  g_allocs = 0;
  g_counting = true;
  int32_t token = 871;
  for (int i = 0; i < 32; ++i) {
    const std::span<const float> logits = ctx.eval(std::span(&token, 1), Logits::kLast);
    token = static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
  }
  ctx.eval(prompt, Logits::kAll);  // a batch within n_ubatch, all logits
  g_counting = false;
  EXPECT_EQ(g_allocs.load(), 0) << "allocations during eval()";
  EXPECT_EQ(ctx.n_past(), 8 + 32 + 8);
}

INSTANTIATE_TEST_SUITE_P(Models, DecodeAlloc, ::testing::Values("llama-Q4_0", "qwen3-Q6_K", "phi3"));

}  // namespace
}  // namespace hako
