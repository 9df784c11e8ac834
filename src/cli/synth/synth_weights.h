// Random weight rows for `hako synth`, fast enough to write a multi-GB model
// in seconds. Plain types (block size 1: f32, f16, bf16) get fresh uniform
// values per element. Block-quantized types draw each block at random from a
// pool of kPoolValues / block_size blocks made once per type by the reference quantizer
// (blocks are self-contained: each carries its own scales), because the
// reference k-quant searches run at only ~10 M values/s. Every row has its own
// seeded PRNG, so the output depends on the seed only, never on the threads.
// Internal to hako_synth.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "tensor/ggml_type.h"

namespace hako::synth {

inline constexpr uint32_t kPoolValues = 1u << 20;  // values per pool; block sizes are powers of two

struct RowSpec {
  GgmlType type;
  int64_t ne0;          // elements per row
  uint64_t n_rows;
  uint64_t seed;        // combined with the row index
  float lo, hi;         // uniform value range
};

class WeightSource {
 public:
  WeightSource(uint64_t seed, int n_threads) : seed_(seed), n_threads_(n_threads) {}
  // Fills dst (n_rows * row_bytes(type, ne0) bytes). Pools are built on
  // first use and reused; not thread-safe (call from one thread).
  void fill(const RowSpec& spec, uint8_t* dst);

 private:
  const std::vector<uint8_t>& pool(GgmlType t, float lo, float hi);

  uint64_t seed_;
  int n_threads_;
  std::map<GgmlType, std::vector<uint8_t>> pools_;  // kPoolValues / block_size blocks each
};

// A seed for stream `a`, item `b` of a base seed (splitmix64 mixing).
uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b);

}  // namespace hako::synth
