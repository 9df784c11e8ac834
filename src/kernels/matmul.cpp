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
#include "quant/traits.h"

namespace hako {
namespace {

// Rows per chunk: a multiple of 16 (every kernel's row tile divides it) and
// about four chunks per thread.
int64_t chunk_rows(int64_t n_rows, int nth) {
  const int64_t per = (n_rows + 4 * nth - 1) / (4 * nth);
  return std::max<int64_t>(16, (per + 15) / 16 * 16);
}

}  // namespace

void matmul(const TensorView& w, const QuantizedActs& x, const MatmulOut& out, const Exec& exec) noexcept {
  const auto type_id = static_cast<uint32_t>(w.type);
  HAKO_ASSERT(has_quant_traits(w.type) && quant_traits(w.type).vec_dot_type == x.type);
  HAKO_ASSERT(w.ne[0] == x.n_in);
  const int64_t row_end = out.row_end < 0 ? w.n_rows() : out.row_end;
  HAKO_ASSERT(0 <= out.row_begin && out.row_begin <= row_end && row_end <= w.n_rows());
  const int64_t n_rows = row_end - out.row_begin;
  if (n_rows == 0 || x.n_tok == 0) return;

  const TypeKernels& tk = exec.kernels.types[type_id];
  MulMatFn fn = tk.mul_mat;
  if (tk.gemm && x.tiles && x.tile_tokens == exec.kernels.tile_tokens && x.n_tok >= tk.gemm_min_tokens) {
    fn = tk.gemm;
  }
  if (!fn) fn = kernels_for(Isa::kRef)->types[type_id].mul_mat;
  HAKO_ASSERT(fn != nullptr);

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
