// hako::Context: one inference session over a Model — a KV cache of n_ctx
// tokens, the buffers of a forward pass over up to n_ubatch tokens, and a
// thread pool, all allocated when it is created. eval() appends tokens to
// the session and returns logits; decoding one token at a time allocates
// nothing. A Context must not outlive its Model and is used from one thread
// at a time. Errors are hako::Error (src/base/error.h).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

namespace hako {

class Model;

struct ContextOptions {
  int32_t n_ctx = 4096;     // tokens the session holds (KV cache cells); 0 = the model's n_ctx_train
  int32_t n_ubatch = 512;   // most tokens per forward pass; longer inputs are split
  int32_t n_threads = 1;    // threads of the forward pass (>= 1)
};

enum class Logits : uint8_t {
  kLast,  // logits of the last token only
  kAll,   // logits of every token given
};

class Context {
 public:
  // Throws Error(kInvalidArgument) for non-positive sizes, Error(kLimit) if
  // the buffers' sizes overflow; std::bad_alloc when memory runs out.
  Context(const Model& model, const ContextOptions& options);
  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;
  ~Context();

  // Evaluates `tokens` at positions n_past() .. n_past() + size - 1 and
  // appends them to the session. Returns row-major logits, [1][n_vocab] for
  // kLast or [tokens.size()][n_vocab] for kAll, valid until the next call.
  // Throws Error(kInvalidArgument) for an empty input or a token id outside
  // [0, n_vocab), Error(kLimit) when the tokens do not fit in the context;
  // the session is unchanged then.
  std::span<const float> eval(std::span<const int32_t> tokens, Logits which);

  int32_t n_past() const;   // tokens in the session
  int32_t n_ctx() const;
  int32_t n_vocab() const;

  void clear();             // forget every token
  // Keep the first n tokens (0 <= n <= n_past()), drop the rest; throws
  // Error(kInvalidArgument) otherwise.
  void truncate(int32_t n);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hako
