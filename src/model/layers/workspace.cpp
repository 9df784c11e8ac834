// Workspace layout (see workspace.h).
#include "model/layers/workspace.h"

#include <new>
#include <string>

#include "base/checked.h"
#include "base/error.h"

namespace hako::model::layers {
namespace {

constexpr size_t kAlign = 64;

// Appends a region of `bytes` at the running offset; returns its start.
size_t take(size_t& at, uint64_t bytes) {
  const size_t start = at;
  const uint64_t padded = add_or_throw(bytes, kAlign - 1, "workspace size") / kAlign * kAlign;
  at = static_cast<size_t>(add_or_throw(at, padded, "workspace size"));
  return start;
}

uint64_t floats(int64_t n_rows, int64_t width) {
  return mul_or_throw(mul_or_throw(static_cast<uint64_t>(n_rows), static_cast<uint64_t>(width),
                                   "workspace buffer"),
                      sizeof(float), "workspace buffer");
}

}  // namespace

void Workspace::AlignedFree::operator()(uint8_t* p) const {
  ::operator delete(p, std::align_val_t(kAlign));
}

Workspace::Workspace(const WorkspaceDims& dims, const WorkspaceShape& shape,
                     const ops::RopeTables& rope)
    : dims_(dims), shape_(shape), rope_(rope) {
  if (shape.n_ubatch <= 0 || shape.n_ctx <= 0 || shape.n_threads <= 0) {
    throw Error(ErrorKind::kInvalidArgument, "workspace: n_ubatch, n_ctx and n_threads must be positive");
  }
  const int64_t n = shape.n_ubatch;
  size_t at = 0;
  off_.x = take(at, floats(n, dims.n_embd));
  off_.xn = take(at, floats(n, dims.n_embd));
  off_.proj = take(at, floats(n, dims.n_embd));
  off_.q = take(at, floats(n, dims.n_q));
  off_.k = take(at, floats(n, dims.n_k));
  off_.v = take(at, floats(n, dims.n_v));
  off_.attn = take(at, floats(n, dims.n_attn_out));
  off_.gate = take(at, floats(n, dims.n_ff));
  off_.up = take(at, floats(n, dims.n_ff));
  off_.rope = take(at, floats(n, dims.n_rot));
  off_.acts = take(at, shape.act_bytes);
  off_.partials = take(at, floats(1, ops::attention_partials_floats(dims.attn, shape.n_threads)));
  const uint64_t per_thread =
      floats(1, ops::attention_scratch_floats(shape.n_ctx, dims.attn));
  off_.scratch = take(at, per_thread);  // thread 0's slot; the others follow
  scratch_stride_ = at - off_.scratch;
  at = static_cast<size_t>(add_or_throw(
      off_.scratch, mul_or_throw(scratch_stride_, static_cast<uint64_t>(shape.n_threads), "workspace"),
      "workspace size"));
  n_bytes_ = at;
  mem_.reset(static_cast<uint8_t*>(::operator new(at, std::align_val_t(kAlign))));
}

ops::AttnScratch Workspace::attn_scratch(int ith) const {
  auto* buf = reinterpret_cast<float*>(base() + off_.scratch + static_cast<size_t>(ith) * scratch_stride_);
  return ops::attention_scratch(buf, shape_.n_ctx, dims_.attn);
}

}  // namespace hako::model::layers
