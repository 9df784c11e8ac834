// hako::Context (include/hako/context.h): plans the KV cache and workspace
// at creation, then splits each eval() into batches of at most n_ubatch
// tokens, places them in the cache and runs the architecture's forward pass.
#include "hako/context.h"

#include <algorithm>
#include <string>
#include <vector>

#include "base/error.h"
#include "hako/model.h"
#include "kernels/thread_pool.h"
#include "model/loaded_model.h"
#include "state/kv_cache.h"

namespace hako {
namespace {

constexpr int32_t kMaxCtx = 1 << 24;
constexpr int32_t kMaxThreads = 1024;

void check_range(int32_t v, int32_t lo, int32_t hi, const char* what) {
  if (v < lo || v > hi) {
    throw Error(ErrorKind::kInvalidArgument, std::string(what) + " = " + std::to_string(v) +
                                                 " is out of range [" + std::to_string(lo) + ", " +
                                                 std::to_string(hi) + "]");
  }
}

model::ContextShape shape_for(const model::ArchModel& arch, const ContextOptions& o) {
  const int32_t n_ctx = o.n_ctx == 0 ? static_cast<int32_t>(std::min<uint32_t>(
                                           arch.hparams().n_ctx_train, kMaxCtx))
                                     : o.n_ctx;
  check_range(n_ctx, 1, kMaxCtx, "n_ctx");
  check_range(o.n_ubatch, 1, kMaxCtx, "n_ubatch");
  check_range(o.n_threads, 1, kMaxThreads, "n_threads");
  return {.n_ctx = n_ctx, .n_ubatch = std::min(o.n_ubatch, n_ctx), .n_threads = o.n_threads};
}

}  // namespace

struct Context::Impl {
  Impl(const model::ArchModel& a, const model::ContextShape& s)
      : arch(a),
        shape(s),
        n_vocab(static_cast<int32_t>(a.hparams().n_vocab)),
        pool(s.n_threads),
        kv(a.kv_options(s)),
        ws(a.make_workspace(s)) {
    const auto n = static_cast<size_t>(s.n_ubatch);
    positions.resize(n);
    seq_ids.assign(n, 0);
    cells.resize(n);
    out_rows.resize(n);
    for (size_t i = 0; i < n; ++i) out_rows[i] = static_cast<int32_t>(i);
    logits.reserve(n * static_cast<size_t>(n_vocab));
  }

  void check_tokens(std::span<const int32_t> tokens) const;
  void run_ubatch(std::span<const int32_t> tokens, Logits which, float* out);

  const model::ArchModel& arch;
  model::ContextShape shape;
  int32_t n_vocab;
  ThreadPool pool;
  state::KvCache kv;
  std::unique_ptr<model::layers::Workspace> ws;
  std::vector<float> logits;
  std::vector<int32_t> positions, seq_ids, cells, out_rows;  // [n_ubatch]
  int32_t n_past = 0;
};

void Context::Impl::check_tokens(std::span<const int32_t> tokens) const {
  if (tokens.empty()) throw Error(ErrorKind::kInvalidArgument, "eval: no tokens given");
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] < 0 || tokens[i] >= n_vocab) {
      throw Error(ErrorKind::kInvalidArgument,
                  "token id " + std::to_string(tokens[i]) + " at index " + std::to_string(i) +
                      " is out of range [0, " + std::to_string(n_vocab) + ")");
    }
  }
  const int64_t end = int64_t{n_past} + static_cast<int64_t>(tokens.size());
  if (end > shape.n_ctx) {
    throw Error(ErrorKind::kLimit, std::to_string(tokens.size()) +
                                       " tokens do not fit in the context: " + std::to_string(n_past) +
                                       " already used of n_ctx " + std::to_string(shape.n_ctx));
  }
}

// One forward pass over tokens (<= n_ubatch) at positions n_past...; writes
// the wanted logits rows to out.
void Context::Impl::run_ubatch(std::span<const int32_t> tokens, Logits which, float* out) {
  const size_t m = tokens.size();
  for (size_t i = 0; i < m; ++i) positions[i] = n_past + static_cast<int32_t>(i);
  const std::span<const int32_t> pos(positions.data(), m), seq(seq_ids.data(), m);
  kv.place(pos, seq, std::span<int32_t>(cells.data(), m));
  const std::span<const int32_t> outputs =
      which == Logits::kAll ? std::span<const int32_t>(out_rows.data(), m)
      : out != nullptr      ? std::span<const int32_t>(out_rows.data() + m - 1, 1)
                            : std::span<const int32_t>();
  const model::Batch batch{.tokens = tokens,
                           .positions = pos,
                           .seq_ids = seq,
                           .kv_cells = std::span<const int32_t>(cells.data(), m),
                           .output_rows = outputs};
  const ops::RowsF32 logits_rows =
      ops::dense_rows(out, static_cast<int64_t>(outputs.size()), n_vocab);
  arch.forward({.batch = batch, .kv = kv, .ws = *ws, .pool = pool, .logits = logits_rows});
  n_past += static_cast<int32_t>(m);
}

Context::Context(const Model& model, const ContextOptions& options) {
  const model::ArchModel& arch = *model.loaded().arch;
  impl_ = std::make_unique<Impl>(arch, shape_for(arch, options));
}
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;
Context::~Context() = default;

std::span<const float> Context::eval(std::span<const int32_t> tokens, Logits which) {
  Impl& c = *impl_;
  c.check_tokens(tokens);
  const size_t n = tokens.size(), nv = static_cast<size_t>(c.n_vocab);
  c.logits.resize(which == Logits::kAll ? n * nv : nv);
  const int32_t n_past_before = c.n_past;
  const auto ub = static_cast<size_t>(c.shape.n_ubatch);
  try {
    for (size_t start = 0; start < n; start += ub) {
      const size_t m = std::min(ub, n - start);
      float* out = which == Logits::kAll ? c.logits.data() + start * nv
                   : start + m == n      ? c.logits.data()
                                         : nullptr;
      c.run_ubatch(tokens.subspan(start, m), which, out);
    }
  } catch (const Error&) {
    truncate(n_past_before);  // leave the session as it was
    throw;
  }
  return c.logits;
}

int32_t Context::n_past() const { return impl_->n_past; }
int32_t Context::n_ctx() const { return impl_->shape.n_ctx; }
int32_t Context::n_vocab() const { return impl_->n_vocab; }

void Context::clear() {
  impl_->kv.clear();
  impl_->n_past = 0;
}

void Context::truncate(int32_t n) {
  if (n < 0 || n > impl_->n_past) {
    throw Error(ErrorKind::kInvalidArgument, "truncate(" + std::to_string(n) +
                                                 "): must be in [0, n_past = " +
                                                 std::to_string(impl_->n_past) + "]");
  }
  impl_->kv.remove(0, n);
  impl_->n_past = n;
}

}  // namespace hako
