// Batch: the tokens one forward pass evaluates, each with its position and
// sequence id, the KV cache cell it is stored in, and which rows want
// logits. A batch holds at most the context's n_ubatch tokens; the runtime
// splits longer inputs. Views only: the arrays are owned by the caller and
// must outlive the forward pass.
#pragma once

#include <cstdint>
#include <span>

namespace hako::model {

struct Batch {
  std::span<const int32_t> tokens;     // [n_tokens] token ids, each < n_vocab
  std::span<const int32_t> positions;  // [n_tokens] position within its sequence
  std::span<const int32_t> seq_ids;    // [n_tokens] sequence id (0 for a single sequence)
  std::span<const int32_t> kv_cells;   // [n_tokens] cell of the KV cache (KvCache::place)
  std::span<const int32_t> output_rows;  // ascending token indices whose logits are wanted

  int32_t n_tokens() const { return static_cast<int32_t>(tokens.size()); }
  int32_t n_outputs() const { return static_cast<int32_t>(output_rows.size()); }
};

}  // namespace hako::model
