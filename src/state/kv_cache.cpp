// KvCache (see kv_cache.h): allocation, cell placement and removal.
#include "state/kv_cache.h"

#include <algorithm>
#include <string>

#include "base/checked.h"
#include "base/error.h"

namespace hako::state {

uint64_t kv_cache_bytes(const KvCacheOptions& o) {
  if (o.n_layer <= 0 || o.n_cells <= 0 || o.n_embd_k <= 0 || o.n_embd_v <= 0) {
    throw Error(ErrorKind::kLimit, "KV cache: every dimension must be positive (n_layer " +
                                       std::to_string(o.n_layer) + ", n_cells " +
                                       std::to_string(o.n_cells) + ")");
  }
  const uint64_t per_cell = add_or_throw(static_cast<uint64_t>(o.n_embd_k),
                                         static_cast<uint64_t>(o.n_embd_v), "KV cache width");
  const uint64_t cells = mul_or_throw(static_cast<uint64_t>(o.n_layer),
                                      static_cast<uint64_t>(o.n_cells), "KV cache cells");
  return mul_or_throw(mul_or_throw(per_cell, cells, "KV cache size"), sizeof(uint16_t),
                      "KV cache bytes");
}

KvCache::KvCache(const KvCacheOptions& options) : opt_(options) {
  kv_cache_bytes(options);  // validates
  const auto cells = static_cast<size_t>(opt_.n_layer) * static_cast<size_t>(opt_.n_cells);
  k_.reset(new uint16_t[cells * static_cast<size_t>(opt_.n_embd_k)]);
  v_.reset(new uint16_t[cells * static_cast<size_t>(opt_.n_embd_v)]);
  cell_pos_.reset(new int32_t[static_cast<size_t>(opt_.n_cells)]);
  cell_seq_.reset(new int32_t[static_cast<size_t>(opt_.n_cells)]);
  clear();
}

int32_t KvCache::seq_pos_max(int32_t seq) const {
  int32_t best = -1;
  for (int32_t c = 0; c < n_used_; ++c) {
    if (cell_seq_[c] == seq) best = std::max(best, cell_pos_[c]);
  }
  return best;
}

void KvCache::place(std::span<const int32_t> positions, std::span<const int32_t> seq_ids,
                    std::span<int32_t> cells_out) {
  HAKO_ASSERT(positions.size() == seq_ids.size() && positions.size() == cells_out.size());
  const auto n = static_cast<int32_t>(positions.size());
  int32_t run = 0;  // length of the free run ending at c
  int32_t start = -1;
  for (int32_t c = 0; c < opt_.n_cells && start < 0; ++c) {
    run = cell_pos_[c] < 0 ? run + 1 : 0;
    if (run == n) start = c - n + 1;
  }
  if (n > 0 && start < 0) {
    throw Error(ErrorKind::kLimit, "KV cache full: no room for " + std::to_string(n) +
                                       " more tokens in a context of " +
                                       std::to_string(opt_.n_cells));
  }
  for (int32_t i = 0; i < n; ++i) {
    cells_out[i] = start + i;
    cell_pos_[start + i] = positions[i];
    cell_seq_[start + i] = seq_ids[i];
  }
  update_n_used();
}

void KvCache::remove(int32_t seq, int32_t pos_begin) {
  for (int32_t c = 0; c < n_used_; ++c) {
    if (cell_seq_[c] == seq && cell_pos_[c] >= pos_begin) {
      cell_pos_[c] = -1;
      cell_seq_[c] = -1;
    }
  }
  update_n_used();
}

void KvCache::clear() {
  std::fill_n(cell_pos_.get(), opt_.n_cells, -1);
  std::fill_n(cell_seq_.get(), opt_.n_cells, -1);
  n_used_ = 0;
}

void KvCache::update_n_used() {
  int32_t used = opt_.n_cells;
  while (used > 0 && cell_pos_[used - 1] < 0) --used;
  n_used_ = used;
}

ops::KvView KvCache::layer_view(int32_t il) const {
  ops::KvView v;
  v.k = k_.get() + offset(il, 0, opt_.n_embd_k);
  v.v = v_.get() + offset(il, 0, opt_.n_embd_v);
  v.k_stride = opt_.n_embd_k;
  v.v_stride = opt_.n_embd_v;
  v.n_cells = n_used_;
  v.cell_pos = cell_pos_.get();
  v.cell_seq = cell_seq_.get();
  return v;
}

}  // namespace hako::state
