// WeightStore: the weights a model keeps outside its GGUF mapping. Today
// that is the x8-interleaved copy (quant/interleave.h) of every matrix whose
// format the active CPU kernels run faster interleaved (q4_0 on AVX2 and
// AVX-512, q8_0 on AVX-512 VNNI: one u8 x s8 dot advances 8 rows). The copy
// is made once at load, on every core, into one anonymous arena, and the
// file pages it came from are released from the process's resident set, so
// memory stays at the weights' size. The arena has ordinary pages: with
// MADV_HUGEPAGE a 1.3 GB model loaded in 2.8-7.8 s instead of 0.8-1.7 s on
// the 2-core VM this was measured on (huge pages zeroed, and compacted, on
// first touch).
// Everything else stays a view into the mapping.
// Not here: the layout itself (quant/interleave.h) or the kernels.
#pragma once

#include <cstdint>

#include "tensor/tensor_view.h"

namespace hako::gguf {
class GgufFile;
}

namespace hako::model {

// Whether the loader may re-lay weights out for the kernels.
enum class WeightLayoutPolicy : uint8_t {
  kFastest,   // interleave the matrices the active kernels run faster x8
  kAsStored,  // every weight stays in the file mapping as stored
};

class WeightStore {
 public:
  // Sizes the arena for the tensors of `file` that could be interleaved
  // (address space only; pages are touched as tensors are adopted).
  WeightStore(const gguf::GgufFile& file, WeightLayoutPolicy policy);
  ~WeightStore();
  WeightStore(const WeightStore&) = delete;
  WeightStore& operator=(const WeightStore&) = delete;

  // The view to compute with for matrix `v` (a view into `file`): v itself,
  // or its interleaved copy in the arena (then v's file pages are released).
  // Call once per tensor. Throws Error(kLimit) if the arena cannot be mapped.
  TensorView adopt(const TensorView& v);

  uint64_t interleaved_bytes() const { return used_; }
  double interleave_seconds() const { return seconds_; }

 private:
  const gguf::GgufFile& file_;
  WeightLayoutPolicy policy_;
  uint8_t* arena_ = nullptr;
  uint64_t capacity_ = 0;
  uint64_t used_ = 0;
  double seconds_ = 0;
};

// True if the active kernels would compute with `v` interleaved.
bool wants_x8(const TensorView& v);

}  // namespace hako::model
