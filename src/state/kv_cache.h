// KvCache: the per-layer key and value rows of every token a context has
// seen, stored as f16 (llama.cpp's default cache type) in cells. A cell holds
// one token of one sequence: its position and sequence id are recorded so
// attention can derive its mask from them (causal within a sequence, and
// later sliding windows), and so several sequences and prefix reuse fit
// without a new layout. All memory is allocated when the cache is created;
// place() assigns cells to a batch before the forward pass, which then only
// writes rows. Not here: the attention itself (kernels/ops/attention.h),
// quantized caches, MLA latent caches, recurrent state.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "kernels/ops/attention.h"

namespace hako::state {

struct KvCacheOptions {
  int32_t n_layer = 0;
  int32_t n_cells = 0;   // tokens the cache holds (the context length)
  int64_t n_embd_k = 0;  // K floats per token per layer (n_head_kv * head_dim_k)
  int64_t n_embd_v = 0;  // V floats per token per layer
};

// Bytes of K and V storage for these options; throws Error(kLimit) when the
// product overflows or any dimension is not positive.
uint64_t kv_cache_bytes(const KvCacheOptions& options);

class KvCache {
 public:
  // Allocates kv_cache_bytes(options) (pages are touched only when written).
  // Throws Error(kLimit) for impossible sizes, std::bad_alloc when out of memory.
  explicit KvCache(const KvCacheOptions& options);

  const KvCacheOptions& options() const { return opt_; }
  int32_t n_cells() const { return opt_.n_cells; }
  // Cells attention must scan: 1 + the highest occupied cell (0 when empty).
  int32_t n_used() const { return n_used_; }
  // Highest position stored for `seq`, or -1 if it has none.
  int32_t seq_pos_max(int32_t seq) const;

  // Assigns a cell to each token of a batch (first free run of cells that
  // fits, so one sequence fills cells in position order) and records its
  // position and sequence. positions, seq_ids and cells_out have one entry
  // per token. Throws Error(kLimit) "KV cache full" when no run is free; the
  // cache is unchanged then.
  void place(std::span<const int32_t> positions, std::span<const int32_t> seq_ids,
             std::span<int32_t> cells_out);

  // Removes every cell of `seq` at position >= pos_begin.
  void remove(int32_t seq, int32_t pos_begin);
  // Empties the cache (rows keep their bytes; cells are marked free).
  void clear();

  // Row of one cell in layer il: n_embd_k (resp. n_embd_v) halves.
  uint16_t* k_row(int32_t il, int32_t cell) { return k_.get() + offset(il, cell, opt_.n_embd_k); }
  uint16_t* v_row(int32_t il, int32_t cell) { return v_.get() + offset(il, cell, opt_.n_embd_v); }

  // The view attention reads for layer il (cells [0, n_used())).
  ops::KvView layer_view(int32_t il) const;

 private:
  int64_t offset(int32_t il, int32_t cell, int64_t width) const {
    return (static_cast<int64_t>(il) * opt_.n_cells + cell) * width;
  }
  void update_n_used();

  KvCacheOptions opt_;
  std::unique_ptr<uint16_t[]> k_;
  std::unique_ptr<uint16_t[]> v_;
  std::unique_ptr<int32_t[]> cell_pos_;  // -1 = free
  std::unique_ptr<int32_t[]> cell_seq_;  // -1 = free
  int32_t n_used_ = 0;
};

}  // namespace hako::state
