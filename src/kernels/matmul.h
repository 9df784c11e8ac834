// Quantized matrix multiplication, the operation that dominates inference
// time: y[t][o] = sum_i W[o][i] * x[t][i] for a weight matrix W stored in any
// ggml type hako has quant traits for. As in llama.cpp, the f32 activations
// are first converted to the weight type's vec_dot_type (q8_0 / q8_1 / q8_K
// for quantized weights, f16 / bf16 / f32 for float weights), once per input,
// and the result can be reused by every matmul that reads the same input
// (q, k, v; gate, up). Kernels are chosen at run time (kernels/dispatch.h);
// HAKO_KERNELS=ref forces the scalar reference path.
// Not here: attention, norms, element-wise ops; weight repacking.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/thread_pool.h"
#include "tensor/tensor_view.h"

namespace hako {

struct KernelTable;

// How f32 activations are rounded to q8_0 / q8_1 codes. kReference is ggml's
// quantize_row_q8_{0,1}_ref (roundf, id = 1/d); kLlamaX86 reproduces
// llama.cpp's x86 CPU build (id = 127/amax, ties to even), which the
// reference logits in testdata were produced with. q8_K and the float types
// have a single rounding and ignore this.
enum class ActRounding { kReference, kLlamaX86 };

// What quantize_acts() produces, sized with quantize_acts_bytes().
struct ActsShape {
  GgmlType weight_type = GgmlType::F32;  // activations are quantized to its vec_dot_type
  int64_t n_in = 0;                      // elements per token; a multiple of the block size
  int64_t n_tok = 0;                     // tokens (rows of x)
  ActRounding rounding = ActRounding::kReference;
};

// Activations in a weight type's vec_dot_type, ready for matmul(). A view
// into the buffer given to quantize_acts(); valid while that buffer is.
struct QuantizedActs {
  GgmlType type = GgmlType::F32;  // the vec_dot_type
  int64_t n_in = 0, n_tok = 0;
  // n_tok rows of row_bytes each, in ggml block layout: byte-identical to the
  // traits' from_float_ref (or the kLlamaX86 variant) applied to each row.
  const void* data = nullptr;
  uint64_t row_bytes = 0;
  // Side data for the SIMD kernels (q8 types; null otherwise), [n_tok][n_in/32]:
  // each 32-element group's scale as float and the sum of its int8 codes.
  const float* group_d = nullptr;
  const int32_t* group_sum = nullptr;
  // [n_tok][n_in/4]: minus the sum of each 4 consecutive codes (q8 types),
  // which lets kernels correct an offset on unsigned weight codes exactly in
  // every int32 lane of a dot product.
  const int32_t* quad_nsum = nullptr;
  // Token-interleaved copy for the GEMM kernels (kernels/acts_layout.h), or
  // null. tile_tokens tokens per tile; 0 when absent.
  const void* tiles = nullptr;
  int tile_tokens = 0;
};

// Bytes quantize_acts() needs for `shape` with the active kernels (an upper
// bound valid for every kernel table). Call at plan time; never throws.
size_t quantize_acts_bytes(const ActsShape& shape);

// Converts x ([n_tok][n_in] f32, rows contiguous) into `buf` (at least
// quantize_acts_bytes(shape) bytes, 64-byte aligned), splitting tokens over
// the pool's threads (one barrier). No allocation; noexcept.
QuantizedActs quantize_acts(const ActsShape& shape, const float* x, void* buf, ThreadPool& pool) noexcept;

// Where matmul() writes: y[t * y_stride + o - row_begin] for o in
// [row_begin, row_end) (row_end = -1: all rows of W), t < n_tok.
struct MatmulOut {
  float* y = nullptr;
  int64_t y_stride = 0;  // floats between tokens; 0 = row_end - row_begin
  int64_t row_begin = 0;
  int64_t row_end = -1;
};

// y = W x for every token of x. W: ne = {n_in, n_out} (higher dims count as
// more rows), rows contiguous, type with quant traits; x must come from
// quantize_acts() for W's type and W.ne[0] == x.n_in. Splits rows over the
// pool's threads (one barrier). Never allocates or throws.
void matmul(const TensorView& w, const QuantizedActs& x, const MatmulOut& out, ThreadPool& pool) noexcept;

// Convenience for an f32 input used once: quantizes x ([n_tok][n_in]) into
// scratch (quantize_acts_bytes({w.type, n_in, n_tok}) bytes), then matmul()
// into y ([n_tok][n_out]). Two barriers.
void matmul_f32(const TensorView& w, const float* x, int64_t n_tok, float* y, void* scratch,
                ThreadPool& pool) noexcept;

// Where the work runs: a pool and a kernel table. The overloads taking an
// Exec let tests and benchmarks compare kernel tables (kernels/dispatch.h);
// the ones taking a ThreadPool use active_kernels().
struct Exec {
  ThreadPool& pool;
  const KernelTable& kernels;
};
size_t quantize_acts_bytes(const ActsShape& shape, const KernelTable& kernels);
QuantizedActs quantize_acts(const ActsShape& shape, const float* x, void* buf, const Exec& exec) noexcept;
void matmul(const TensorView& w, const QuantizedActs& x, const MatmulOut& out, const Exec& exec) noexcept;

}  // namespace hako
