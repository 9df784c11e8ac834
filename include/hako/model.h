// hako::Model: a GGUF model loaded for inference — the file mmap'd, its
// architecture recognised, hyper-parameters validated and every tensor bound.
// Weights stay in the mapping; loading allocates only small tables. A Model
// is immutable after load() and may be shared by several Contexts (each on
// its own thread). Errors are hako::Error (src/base/error.h) with a one-line
// message naming the file and the problem.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace hako {

namespace model {
struct LoadedModel;
}

// How weights may be laid out in memory.
enum class WeightLayout : uint8_t {
  // Matrices whose format the CPU's kernels run faster re-laid-out (today
  // q4_0 on x86 AVX2 and AVX-512, q8_0 on AVX-512 VNNI, interleaved 8 rows
  // at a time) are copied
  // once at load into an anonymous arena, and the file pages they came from
  // are released: same memory, a longer load (about 1 s per GB).
  kFastest,
  // Every weight stays in the file mapping as stored: the fastest load.
  kAsStored,
};

struct LoadOptions {
  WeightLayout layout = WeightLayout::kFastest;
};

class Model {
 public:
  // Loads `path`. Throws Error: kIo (unreadable), kFormat (malformed file,
  // missing or mis-shaped tensor, bad hyper-parameter), kUnsupported
  // (unknown architecture or tensor type), kLimit (absurd sizes).
  static Model load(const std::string& path, const LoadOptions& options);
  // The same from GGUF bytes already in memory (tests, fuzzing). The bytes
  // are borrowed: they must outlive the Model. display_name stands for the
  // path in error messages.
  static Model load_from_memory(std::span<const uint8_t> bytes, const std::string& display_name,
                                const LoadOptions& options);

  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  std::string_view architecture() const;  // general.architecture, e.g. "qwen3"
  int32_t n_vocab() const;                // logits per token
  int32_t n_ctx_train() const;            // context length the model was trained for
  int32_t n_layer() const;
  int32_t n_embd() const;
  uint64_t weight_bytes() const;          // bytes of all weight matrices
  uint64_t relaid_bytes() const;          // bytes of them re-laid-out at load (WeightLayout)
  double relayout_seconds() const;        // load time spent re-laying them out

  // The loaded model, for hako's own runtime (Context); not a stable API.
  const model::LoadedModel& loaded() const { return *impl_; }

 private:
  explicit Model(std::unique_ptr<model::LoadedModel> impl);
  std::unique_ptr<model::LoadedModel> impl_;
};

}  // namespace hako
