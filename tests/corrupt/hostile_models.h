// Hostile model files for tests: copies of the reference llama model
// (testdata reference/llama/model.gguf: n_embd 64, 2 layers, 2 heads, 1 KV
// head, head width 32, n_ff 256, n_vocab 1024, all f32) with one change,
// made with tests/model/model_variant.h, and raw GGUF bytes with absurd
// counts or shapes. Shared by the hostile-model and resource-limit tests;
// owns no state beyond the files it writes.
#pragma once

#include <string>
#include <vector>

#include "model/model_variant.h"

namespace hako::test {

// Writes the reference llama with `edits` to `path` (atomically).
void write_llama_variant(const std::string& path, const VariantEdits& edits);

// A file name in the system temp folder unique to this process: tag + pid.
std::string temp_path(const std::string& tag);

// A named hostile file and the substring its one-line error must contain.
struct HostileFile {
  std::string name;      // short, used in file names and test output
  std::string expected;  // substring of the error message
};

// Raw GGUF files the parser must reject from their header alone, each
// claiming sizes that would need far more than 4 GiB if trusted: 2^60
// tensors / keys / array elements, a 2^62-byte string, a tensor of 2^62
// elements, dimensions whose product overflows. Written to dir/<name>.gguf.
std::vector<HostileFile> write_hostile_headers(const std::string& dir);

// Llama copies whose hyper-parameters ask for absurd sizes within the
// parser's limits (4M-token vocabulary, 1024 layers, 65536-wide residual,
// 2^20-wide MLP, 4096 heads): loading must fail on the first tensor that
// disagrees, before sizing anything from them. Written to dir/<name>.gguf.
std::vector<HostileFile> write_hostile_hparams(const std::string& dir);

}  // namespace hako::test
