// matmul(): picks the kernel for (weight type, token count) from the table
// and splits the output rows over the pool's threads. Rows are handed out in
// chunks from an atomic counter, so a thread slowed down by another process
// (the 2-core target machine is shared) does not hold the others back; every
// row is still computed by exactly one thread in a fixed order, so results do
// not depend on the split.
#include "kernels/matmul.h"

#include <algorithm>
#include <atomic>

#include "base/error.h"
#include "kernels/dispatch.h"
#include "quant/interleave.h"
#include "quant/traits.h"

namespace hako {
namespace {

// Rows per chunk: a multiple of 16 (every kernel's row tile divides it) and
// about four chunks per thread.
int64_t chunk_rows(int64_t n_rows, int nth) {
  const int64_t per = (n_rows + 4 * nth - 1) / (4 * nth);
  return std::max<int64_t>(16, (per + 15) / 16 * 16);
}

// The kernel for w's type and layout: the level's GEMM when the batch is
// large enough and tiled for it, else its direct kernel, else the reference.
MulMatFn pick_kernel(const KernelTable& kernels, const TensorView& w, const QuantizedActs& x) {
  const auto type_id = static_cast<uint32_t>(w.type);
  const bool x8 = w.layout == RowLayout::kX8;
  const TypeKernels& tk = kernels.types[type_id];
  const MulMatFn gemm = x8 ? tk.gemm_x8 : tk.gemm;
  MulMatFn fn = x8 ? tk.mul_mat_x8 : tk.mul_mat;
  if (gemm && x.tiles && x.tile_tokens == kernels.tile_tokens && x.n_tok >= tk.gemm_min_tokens) fn = gemm;
  if (!fn) {
    const TypeKernels& ref = kernels_for(Isa::kRef)->types[type_id];
    fn = x8 ? ref.mul_mat_x8 : ref.mul_mat;
  }
  HAKO_ASSERT(fn != nullptr);
  return fn;
}

}  // namespace

void matmul(const TensorView& w, const QuantizedActs& x, const MatmulOut& out, const Exec& exec) noexcept {
  HAKO_ASSERT(has_quant_traits(w.type) && quant_traits(w.type).vec_dot_type == x.type);
  HAKO_ASSERT(w.ne[0] == x.n_in);
  const int64_t row_end = out.row_end < 0 ? w.n_rows() : out.row_end;
  HAKO_ASSERT(0 <= out.row_begin && out.row_begin <= row_end && row_end <= w.n_rows());
  const int64_t n_rows = row_end - out.row_begin;
  HAKO_ASSERT(w.layout == RowLayout::kRows || (out.row_begin % kX8Rows == 0 && n_rows % kX8Rows == 0));
  if (n_rows == 0 || x.n_tok == 0) return;

  const MulMatFn fn = pick_kernel(exec.kernels, w, x);

  MatmulTask task;
  task.type = w.type;
  task.w = w.row(out.row_begin);
  task.w_row_bytes = w.row_size();
  task.n_in = w.ne[0];
  task.x = &x;
  task.y = out.y;
  task.y_stride = out.y_stride ? out.y_stride : n_rows;

  const int nth = exec.pool.n_threads();
  const int64_t chunk = chunk_rows(n_rows, nth);
  const int64_t n_chunks = (n_rows + chunk - 1) / chunk;
  std::atomic<int64_t> next{0};
  exec.pool.run([&](int, int) {
    for (int64_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < n_chunks;) {
      fn(task, c * chunk, std::min(n_rows, (c + 1) * chunk));
    }
  });
}

void matmul(const TensorView& w, const QuantizedActs& x, const MatmulOut& out, ThreadPool& pool) noexcept {
  matmul(w, x, out, Exec{pool, active_kernels()});
}

void matmul_f32(const TensorView& w, const float* x, int64_t n_tok, float* y, void* scratch,
                ThreadPool& pool) noexcept {
  const Exec exec{pool, active_kernels()};
  const QuantizedActs q = quantize_acts({.weight_type = w.type, .n_in = w.ne[0], .n_tok = n_tok}, x, scratch, exec);
  matmul(w, q, MatmulOut{.y = y}, exec);
}

}  // namespace hako
