// ForwardArgs: what one forward pass works on, handed to every layer
// function: the batch, the KV cache, the planned workspace, the thread pool
// and where the logits go. Layer functions read and write the workspace's
// named buffers (x, xn, proj, ...), which makes the data flow of an
// architecture's forward() explicit and allocation-free.
#pragma once

#include "kernels/ops/rows.h"
#include "kernels/thread_pool.h"
#include "model/batch.h"
#include "model/layers/workspace.h"
#include "state/kv_cache.h"

namespace hako::model::layers {

struct ForwardArgs {
  const Batch& batch;
  state::KvCache& kv;
  const Workspace& ws;
  ThreadPool& pool;
  ops::RowsF32 logits;  // [batch.n_outputs()][n_vocab]
};

}  // namespace hako::model::layers
