// libFuzzer target for model construction: the input is a GGUF file (seeds:
// the reference models), which goes through the whole loading pipeline —
// parse, architecture lookup, hyper-parameters, weight binding — from
// borrowed bytes. Any input must either load or throw hako::Error: never
// crash, read out of bounds or allocate from an unchecked count (libFuzzer's
// -malloc_limit_mb catches a single huge allocation). A model that loads is
// then planned into a small Context and evaluates two tokens, so a tensor
// whose shape passed binding but disagrees with what the forward pass reads
// shows up as an ASan report. This is not a correctness test of the logits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "base/error.h"
#include "hako/context.h"
#include "hako/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const hako::Model model = hako::Model::load_from_memory(std::span<const uint8_t>(data, size),
                                                            "fuzz.gguf", hako::LoadOptions{});
    // Small on purpose: the sizes that matter (widths, layers, vocabulary)
    // come from the file; the context only picks how many tokens.
    hako::Context ctx(model, {.n_ctx = 8, .n_ubatch = 4, .n_threads = 1});
    const int32_t last = std::max(model.n_vocab() - 1, 0);
    const int32_t ids[2] = {0, last};
    const std::span<const float> logits = ctx.eval(ids, hako::Logits::kLast);
    volatile float sink = logits.empty() ? 0.0f : logits[logits.size() - 1];
    (void)sink;
  } catch (const hako::Error&) {
  }
  return 0;
}
