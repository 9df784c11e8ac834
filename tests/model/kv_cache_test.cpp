// KvCache cell bookkeeping: placement in position order, the full-cache
// error leaving the cache unchanged, removal by sequence and position, and
// the view attention reads.
#include <gtest/gtest.h>

#include <vector>

#include "base/error.h"
#include "state/kv_cache.h"

namespace hako::state {
namespace {

TEST(KvCache, PlacesRemovesAndReportsFull) {
  KvCache kv({.n_layer = 2, .n_cells = 8, .n_embd_k = 4, .n_embd_v = 6});
  EXPECT_EQ(kv.n_used(), 0);
  EXPECT_EQ(kv.seq_pos_max(0), -1);
  std::vector<int32_t> pos = {0, 1, 2, 3, 4}, seq(5, 0), cells(5);
  kv.place(pos, seq, cells);
  EXPECT_EQ(cells, (std::vector<int32_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(kv.n_used(), 5);
  EXPECT_EQ(kv.seq_pos_max(0), 4);

  std::vector<int32_t> more_pos = {5, 6, 7, 8}, more_seq(4, 0), more_cells(4);
  EXPECT_THROW(kv.place(more_pos, more_seq, more_cells), Error);  // 4 > 3 free cells
  EXPECT_EQ(kv.n_used(), 5);

  kv.remove(0, 2);  // keep positions 0, 1
  EXPECT_EQ(kv.n_used(), 2);
  EXPECT_EQ(kv.seq_pos_max(0), 1);
  kv.place(more_pos, more_seq, more_cells);
  EXPECT_EQ(more_cells, (std::vector<int32_t>{2, 3, 4, 5}));

  const ops::KvView v = kv.layer_view(1);
  EXPECT_EQ(v.n_cells, 6);
  EXPECT_EQ(v.cell_pos[2], 5);
  EXPECT_EQ(v.k, kv.k_row(1, 0));
  EXPECT_EQ(kv.k_row(1, 1) - kv.k_row(1, 0), 4);
  EXPECT_EQ(kv.v_row(1, 1) - kv.v_row(1, 0), 6);

  kv.clear();
  EXPECT_EQ(kv.n_used(), 0);
}

TEST(KvCache, RejectsImpossibleSizes) {
  EXPECT_THROW(kv_cache_bytes({.n_layer = 0, .n_cells = 8, .n_embd_k = 4, .n_embd_v = 4}), Error);
  EXPECT_THROW(kv_cache_bytes({.n_layer = 1 << 30, .n_cells = 1 << 30, .n_embd_k = int64_t{1} << 40,
                               .n_embd_v = 4}),
               Error);
  EXPECT_EQ(kv_cache_bytes({.n_layer = 2, .n_cells = 8, .n_embd_k = 4, .n_embd_v = 6}), 2u * 8 * 10 * 2);
}

}  // namespace
}  // namespace hako::state
