// Reads one folder of testdata/reference (model.gguf, prompt.json,
// greedy.json, meta.json, logits.f32, step_logits.f32) and compares logits
// rows the way its README asks: max and median |diff|, top-1 agreement.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace hako::test {

struct ReferenceFolder {
  std::string name;        // e.g. "qwen3-Q4_0"
  std::string model_path;
  int32_t n_vocab = 0;
  std::vector<int32_t> prompt;        // prompt.json ids
  std::vector<int32_t> greedy;        // greedy.json ids
  std::vector<float> logits;          // [prompt.size()][n_vocab]
  std::vector<float> step_logits;     // [greedy.size()][n_vocab]
};

ReferenceFolder load_reference(const std::string& name);

struct LogitsDiff {
  double max_abs = 0;
  double median_abs = 0;
  double top1 = 0;  // share of rows whose argmax agrees (ties: lowest id)
};

// Compares row-major [n_rows][n_vocab] logits.
LogitsDiff compare_logits(std::span<const float> ours, std::span<const float> ref, int32_t n_vocab);

}  // namespace hako::test
