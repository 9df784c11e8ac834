// WeightSource: per-row PRNG streams, block pools, and the row split over threads.
#include "cli/synth/synth_weights.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <thread>

#include "quant/traits.h"

namespace hako::synth {
namespace {

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// xoshiro256+: fast, statistically fine for weights; seeded by splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& v : s_) v = splitmix64(seed);
  }
  uint64_t next() {
    const uint64_t r = s_[0] + s_[3];
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = (s_[3] << 45) | (s_[3] >> 19);
    return r;
  }
  // n floats uniform in [lo, hi), two per 64-bit draw (24 bits each).
  void fill(float* out, int64_t n, float lo, float hi) {
    const float scale = (hi - lo) * (1.0f / 16777216.0f);
    int64_t i = 0;
    for (; i + 1 < n; i += 2) {
      const uint64_t x = next();
      out[i] = lo + static_cast<float>(x >> 40) * scale;
      out[i + 1] = lo + static_cast<float>((x >> 8) & 0xffffff) * scale;
    }
    if (i < n) out[i] = lo + static_cast<float>(next() >> 40) * scale;
  }

 private:
  uint64_t s_[4];
};

// Runs work(r0, r1) over [0, n) split into contiguous ranges on n_threads threads.
void parallel_rows(uint64_t n, int n_threads, const std::function<void(uint64_t, uint64_t)>& work) {
  const uint64_t nt = std::clamp<uint64_t>(static_cast<uint64_t>(std::max(n_threads, 1)), 1, std::max<uint64_t>(n, 1));
  const uint64_t per = (n + nt - 1) / nt;
  std::vector<std::thread> threads;
  for (uint64_t i = 1; i < nt; ++i) {
    const uint64_t r0 = std::min(n, i * per), r1 = std::min(n, r0 + per);
    if (r0 < r1) threads.emplace_back(work, r0, r1);
  }
  work(0, std::min(n, per));
  for (std::thread& t : threads) t.join();
}

}  // namespace

uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b) {
  uint64_t x = seed;
  uint64_t h = splitmix64(x) ^ a;
  h = splitmix64(h) ^ b;
  return splitmix64(h);
}

const std::vector<uint8_t>& WeightSource::pool(GgmlType t, float lo, float hi) {
  auto it = pools_.find(t);
  if (it != pools_.end()) return it->second;
  const TypeInfo& ti = type_info(t);
  const uint64_t n_blocks = kPoolValues / ti.block_size;
  std::vector<uint8_t> bytes(n_blocks * ti.type_size);
  const FromFloatFn quantize = quant_traits(t).from_float_ref;
  const uint64_t pool_seed = mix_seed(seed_, 0x706f6f6cu, static_cast<uint64_t>(t));
  parallel_rows(n_blocks, n_threads_, [&](uint64_t b0, uint64_t b1) {
    std::vector<float> buf(ti.block_size);
    for (uint64_t b = b0; b < b1; ++b) {
      Rng rng(mix_seed(pool_seed, b, 0));
      rng.fill(buf.data(), ti.block_size, lo, hi);
      quantize(buf.data(), bytes.data() + b * ti.type_size, ti.block_size);
    }
  });
  return pools_.emplace(t, std::move(bytes)).first->second;
}

void WeightSource::fill(const RowSpec& s, uint8_t* dst) {
  const TypeInfo& ti = type_info(s.type);
  const uint64_t rb = row_bytes(s.type, static_cast<uint64_t>(s.ne0));
  if (ti.block_size == 1) {  // plain types: fresh values, converted if not f32
    const FromFloatFn convert = s.type == GgmlType::F32 ? nullptr : quant_traits(s.type).from_float_ref;
    parallel_rows(s.n_rows, n_threads_, [&](uint64_t r0, uint64_t r1) {
      std::vector<float> buf(static_cast<size_t>(s.ne0));
      for (uint64_t r = r0; r < r1; ++r) {
        Rng rng(mix_seed(s.seed, r, 1));
        rng.fill(buf.data(), s.ne0, s.lo, s.hi);
        if (convert) {
          convert(buf.data(), dst + r * rb, s.ne0);
        } else {
          std::memcpy(dst + r * rb, buf.data(), rb);
        }
      }
    });
    return;
  }
  const uint8_t* blocks = pool(s.type, s.lo, s.hi).data();
  const uint64_t pool_mask = kPoolValues / ti.block_size - 1;
  const uint64_t n_blocks = static_cast<uint64_t>(s.ne0) / ti.block_size;
  const uint32_t bs = ti.type_size;
  parallel_rows(s.n_rows, n_threads_, [&](uint64_t r0, uint64_t r1) {
    for (uint64_t r = r0; r < r1; ++r) {
      Rng rng(mix_seed(s.seed, r, 2));
      uint8_t* out = dst + r * rb;
      uint64_t bits = 0;
      for (uint64_t b = 0; b < n_blocks; ++b) {
        if (b % 4 == 0) bits = rng.next();
        const uint64_t idx = (bits >> (16 * (b % 4))) & pool_mask;  // pool has <= 2^15 blocks
        std::memcpy(out + b * bs, blocks + idx * bs, bs);
      }
    }
  });
}

}  // namespace hako::synth
