// Workspace: every buffer one forward pass of a dense transformer needs,
// sized once when a context is created from the hyper-parameters x the
// largest batch (n_ubatch) x the context length x the thread count, and
// carved from a single 64-byte-aligned allocation (llama2.c's RunState,
// gemma's Activations). The forward pass only takes views of it, so it never
// allocates. Also holds the RoPE tables planned for the context.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "kernels/ops/attention.h"
#include "kernels/ops/rope.h"
#include "kernels/ops/rows.h"

namespace hako::model::layers {

// Per-token widths of the buffers (floats).
struct WorkspaceDims {
  int64_t n_embd = 0;
  int64_t n_q = 0;         // n_head * head_dim_k
  int64_t n_k = 0;         // n_head_kv * head_dim_k
  int64_t n_v = 0;         // n_head_kv * head_dim_v
  int64_t n_attn_out = 0;  // n_head * head_dim_v
  int64_t n_ff = 0;
  int32_t n_rot = 0;
  ops::AttnShape attn;     // heads and head widths (for the attention scratch)
};

struct WorkspaceShape {
  int32_t n_ubatch = 0;    // most tokens per forward pass
  int32_t n_ctx = 0;       // KV cells attention may scan
  int32_t n_threads = 0;
  size_t act_bytes = 0;    // largest quantized-activation buffer of any matmul
};

class Workspace {
 public:
  // Allocates; throws Error(kLimit) if the sizes overflow, std::bad_alloc
  // when out of memory.
  Workspace(const WorkspaceDims& dims, const WorkspaceShape& shape, const ops::RopeTables& rope);

  const WorkspaceDims& dims() const { return dims_; }
  const WorkspaceShape& shape() const { return shape_; }
  const ops::RopeTables& rope() const { return rope_; }
  size_t n_bytes() const { return n_bytes_; }

  // Views of the first n rows (n <= n_ubatch) of each buffer.
  ops::RowsF32 x(int32_t n) const { return rows(off_.x, n, dims_.n_embd); }        // residual stream
  ops::RowsF32 xn(int32_t n) const { return rows(off_.xn, n, dims_.n_embd); }      // normed input
  ops::RowsF32 proj(int32_t n) const { return rows(off_.proj, n, dims_.n_embd); }  // block output
  ops::RowsF32 q(int32_t n) const { return rows(off_.q, n, dims_.n_q); }
  ops::RowsF32 k(int32_t n) const { return rows(off_.k, n, dims_.n_k); }
  ops::RowsF32 v(int32_t n) const { return rows(off_.v, n, dims_.n_v); }
  ops::RowsF32 attn(int32_t n) const { return rows(off_.attn, n, dims_.n_attn_out); }
  ops::RowsF32 gate(int32_t n) const { return rows(off_.gate, n, dims_.n_ff); }
  ops::RowsF32 up(int32_t n) const { return rows(off_.up, n, dims_.n_ff); }
  // [n][n_rot] (cos, sin) pairs of each token's position.
  ops::RowsF32 rope_cache(int32_t n) const { return rows(off_.rope, n, dims_.n_rot); }
  std::span<uint8_t> acts() const { return {base() + off_.acts, shape_.act_bytes}; }
  // Attention scratch of thread ith.
  ops::AttnScratch attn_scratch(int ith) const;
  // Shared partials of the chunked decode
  // (ops::attention_partials_floats(dims.attn, n_threads) floats).
  float* attn_partials() const { return reinterpret_cast<float*>(base() + off_.partials); }

 private:
  struct Offsets {
    size_t x, xn, proj, q, k, v, attn, gate, up, rope, acts, partials, scratch;
  };
  struct AlignedFree {
    void operator()(uint8_t* p) const;
  };

  uint8_t* base() const { return mem_.get(); }
  ops::RowsF32 rows(size_t off, int32_t n, int64_t width) const {
    return ops::dense_rows(reinterpret_cast<float*>(base() + off), n, width);
  }

  WorkspaceDims dims_;
  WorkspaceShape shape_;
  ops::RopeTables rope_;
  Offsets off_{};
  size_t scratch_stride_ = 0;  // bytes per thread
  size_t n_bytes_ = 0;
  std::unique_ptr<uint8_t[], AlignedFree> mem_;
};

}  // namespace hako::model::layers
