// Conformance of every kernel level against the quant/ reference: for each
// weight type with traits x each kernel level this CPU supports (ref
// included), on random, raw-byte and edge inputs, (1) quantize_acts() writes
// exactly the bytes of the reference activation quantizer and (2) matmul()
// equals vec_dot_ref per (row, token) up to float accumulation order.
// Adding a format or an ISA adds cases here without new test code.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/acts_layout.h"
#include "kernels/dispatch.h"
#include "kernels/matmul.h"
#include "quant/blocks.h"
#include "quant/formats.h"
#include "quant/interleave.h"
#include "quant/traits.h"

namespace hako {
namespace {

struct AlignedBuf {
  explicit AlignedBuf(size_t n) : v((n + 127) / 64) {}
  void* data() { return v.data(); }
  struct alignas(64) Line { uint8_t b[64]; };
  std::vector<Line> v;
};

std::vector<GgmlType> weight_types() {
  std::vector<GgmlType> out;
  for (uint32_t id = 0; id < kGgmlTypeCount; ++id) {
    const auto t = static_cast<GgmlType>(id);
    if (has_quant_traits(t) && quant_traits(t).vec_dot_ref) out.push_back(t);
  }
  return out;
}

std::vector<Isa> levels() {
  std::vector<Isa> out;
  for (int i = 0; i < kIsaCount; ++i) {
    if (kernels_for(static_cast<Isa>(i))) out.push_back(static_cast<Isa>(i));
  }
  return out;
}

// Byte offsets of the f16 scale fields of each block format: raw random
// bytes there would be inf/NaN, so they get sane random values instead.
std::vector<size_t> f16_fields(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0: return {offsetof(BlockQ4_0, d)};
    case GgmlType::Q4_1: return {offsetof(BlockQ4_1, d), offsetof(BlockQ4_1, m)};
    case GgmlType::Q5_0: return {offsetof(BlockQ5_0, d)};
    case GgmlType::Q5_1: return {offsetof(BlockQ5_1, d), offsetof(BlockQ5_1, m)};
    case GgmlType::Q8_0: return {offsetof(BlockQ8_0, d)};
    case GgmlType::Q2_K: return {offsetof(BlockQ2_K, d), offsetof(BlockQ2_K, dmin)};
    case GgmlType::Q3_K: return {offsetof(BlockQ3_K, d)};
    case GgmlType::Q4_K: return {offsetof(BlockQ4_K, d), offsetof(BlockQ4_K, dmin)};
    case GgmlType::Q5_K: return {offsetof(BlockQ5_K, d), offsetof(BlockQ5_K, dmin)};
    case GgmlType::Q6_K: return {offsetof(BlockQ6_K, d)};
    case GgmlType::IQ4_NL: return {offsetof(BlockIQ4_NL, d)};
    case GgmlType::IQ4_XS: return {offsetof(BlockIQ4_XS, d)};
    default: return {};
  }
}

enum class WeightMode { kQuantized, kRawBytes, kExtremeBytes };

// n_out rows of n_in: quantized from random floats with a per-row magnitude
// (rows 1 and 2 are all zeros and huge), or random bytes with sane scales,
// or rows of one repeated byte (0xff, 0x77, 0x80, 0x7f by row) with sane
// scales: every code at its format's largest (or q8_0's -128 / 127), where
// a SIMD kernel's int16 pair sums come closest to saturating.
std::vector<uint8_t> make_weights(GgmlType t, int64_t n_out, int64_t n_in, WeightMode mode, std::mt19937& rng) {
  const uint64_t rb = row_bytes(t, static_cast<uint64_t>(n_in));
  std::vector<uint8_t> w(rb * static_cast<uint64_t>(n_out));
  if (mode != WeightMode::kQuantized) {
    std::uniform_int_distribution<int> byte(0, 255);
    for (auto& b : w) b = static_cast<uint8_t>(byte(rng));
    if (mode == WeightMode::kExtremeBytes) {
      constexpr uint8_t kFill[] = {0xff, 0x77, 0x80, 0x7f};
      for (int64_t r = 0; r < n_out; ++r) std::memset(w.data() + rb * static_cast<uint64_t>(r), kFill[r % 4], rb);
    }
    const TypeInfo& info = type_info(t);
    std::uniform_real_distribution<float> scale(-0.02f, 0.02f);
    for (size_t blk = 0; blk < w.size() / info.type_size; ++blk) {
      uint8_t* p = w.data() + blk * info.type_size;
      for (size_t off : f16_fields(t)) {
        const f16_t h = f32_to_f16(scale(rng));
        std::memcpy(p + off, &h, 2);
      }
      if (t == GgmlType::MXFP4) p[0] = static_cast<uint8_t>(110 + byte(rng) % 30);  // E8M0 exponent
    }
    return w;
  }
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> row(static_cast<size_t>(n_in));
  for (int64_t r = 0; r < n_out; ++r) {
    const float mag = r == 1 ? 0.0f : r == 2 ? 300.0f : r == 3 ? 1e-3f : 0.05f;
    for (auto& v : row) v = mag * nd(rng);
    if (r == 4) row[static_cast<size_t>(n_in / 2)] = 40.0f;  // one outlier per row
    quant_traits(t).from_float_ref(row.data(), w.data() + rb * static_cast<uint64_t>(r), n_in);
  }
  return w;
}

// Token 1 is all zeros, token 2 huge, token 3 has exact rounding ties
// (amax 127 -> id 1, so the .5 values are ties), tokens 5 and 6 all +1 and
// all -1 (every code +-127), the rest random.
std::vector<float> make_acts(int64_t n_tok, int64_t n_in, std::mt19937& rng) {
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(n_tok * n_in));
  for (int64_t t = 0; t < n_tok; ++t) {
    float* xt = x.data() + t * n_in;
    for (int64_t i = 0; i < n_in; ++i) {
      if (t == 1) xt[i] = 0.0f;
      else if (t == 2) xt[i] = 2000.0f * nd(rng);
      else if (t == 3) xt[i] = (i % 32 == 0) ? 127.0f : std::round(nd(rng) * 20.0f) + 0.5f;
      else if (t == 5 || t == 6) xt[i] = t == 5 ? 1.0f : -1.0f;
      else xt[i] = nd(rng);
    }
    if (t == 4) xt[n_in - 1] = -50.0f;  // a negative spike: q8_K's signed max
  }
  return x;
}

struct Case {
  GgmlType type;
  int64_t n_in, n_out, n_tok;
  WeightMode mode;
  int n_threads;
  RowLayout layout = RowLayout::kRows;  // kX8: the weights are interleaved before matmul()
};

std::string describe(const Case& c, Isa isa) {
  return std::string(to_string(c.type)) + " isa=" + std::string(to_string(isa)) + " n_in=" +
         std::to_string(c.n_in) + " n_out=" + std::to_string(c.n_out) + " n_tok=" + std::to_string(c.n_tok) +
         (c.mode == WeightMode::kRawBytes ? " raw" : c.mode == WeightMode::kExtremeBytes ? " extreme" : " quantized") + " threads=" + std::to_string(c.n_threads) +
         (c.layout == RowLayout::kX8 ? " x8" : "");
}

// Runs one case on one level: quantizer bytes must match, each output must
// match vec_dot_ref within the float-reordering bound.
void run_case(const Case& c, Isa isa, std::mt19937& rng) {
  SCOPED_TRACE(describe(c, isa));
  const KernelTable& kt = *kernels_for(isa);
  const QuantTraits& wt = quant_traits(c.type);
  const QuantTraits& at = quant_traits(wt.vec_dot_type);
  const std::vector<uint8_t> w = make_weights(c.type, c.n_out, c.n_in, c.mode, rng);
  const std::vector<float> x = make_acts(c.n_tok, c.n_in, rng);
  const uint64_t wrb = row_bytes(c.type, c.n_in), arb = row_bytes(wt.vec_dot_type, c.n_in);

  // Reference activations, and the dequantized values for the magnitude bound.
  std::vector<uint8_t> xq(arb * c.n_tok);
  std::vector<float> xd(static_cast<size_t>(c.n_tok * c.n_in)), wd(static_cast<size_t>(c.n_out * c.n_in));
  for (int64_t t = 0; t < c.n_tok; ++t) {
    at.from_float_ref(x.data() + t * c.n_in, xq.data() + arb * t, c.n_in);
    at.to_float(xq.data() + arb * t, xd.data() + t * c.n_in, c.n_in);
  }
  for (int64_t r = 0; r < c.n_out; ++r) wt.to_float(w.data() + wrb * r, wd.data() + r * c.n_in, c.n_in);

  ThreadPool pool(c.n_threads);
  const Exec exec{pool, kt};
  const ActsShape shape{.weight_type = c.type, .n_in = c.n_in, .n_tok = c.n_tok};
  const size_t need = quantize_acts_bytes(shape, kt);
  ASSERT_LE(need, quantize_acts_bytes(shape));
  AlignedBuf buf(need);
  const QuantizedActs acts = quantize_acts(shape, x.data(), buf.data(), exec);
  ASSERT_EQ(acts.type, wt.vec_dot_type);
  ASSERT_EQ(acts.row_bytes, arb);
  for (int64_t t = 0; t < c.n_tok; ++t) {
    ASSERT_EQ(std::memcmp(static_cast<const uint8_t*>(acts.data) + arb * t, xq.data() + arb * t, arb), 0)
        << "activation bytes differ from from_float_ref at token " << t;
  }
  if (acts_layout::is_q8_act(acts.type)) {
    // The SIMD side data must equal what the portable code derives from the rows.
    const int64_t ng = c.n_in / 32, nq = c.n_in / 4;
    std::vector<float> gd(static_cast<size_t>(ng));
    std::vector<int32_t> gs(static_cast<size_t>(ng)), qn(static_cast<size_t>(nq));
    for (int64_t t = 0; t < c.n_tok; ++t) {
      acts_layout::fill_side(acts.type, c.n_in, ActRowOut{xq.data() + arb * t, gd.data(), gs.data(), qn.data()});
      ASSERT_EQ(std::memcmp(gd.data(), acts.group_d + t * ng, 4 * ng), 0) << "group_d, token " << t;
      ASSERT_EQ(std::memcmp(gs.data(), acts.group_sum + t * ng, 4 * ng), 0) << "group_sum, token " << t;
      ASSERT_EQ(std::memcmp(qn.data(), acts.quad_nsum + t * nq, 4 * nq), 0) << "quad_nsum, token " << t;
    }
  }

  std::vector<uint8_t> w8;
  TensorView wv;
  wv.type = c.type;
  wv.ne = {c.n_in, c.n_out, 1, 1};
  wv.n_dims = 2;
  wv.data = w.data();
  if (c.layout == RowLayout::kX8) {
    w8.resize(w.size());
    interleave_x8(c.type, w.data(), w8.data(), c.n_out, c.n_in);
    wv.data = w8.data();
    wv.layout = RowLayout::kX8;
  }
  std::vector<float> y(static_cast<size_t>(c.n_tok * c.n_out), NAN);
  matmul(wv, acts, MatmulOut{.y = y.data()}, exec);

  const int64_t n_terms = c.n_in / static_cast<int64_t>(type_info(c.type).block_size) + 8;
  for (int64_t t = 0; t < c.n_tok; ++t) {
    for (int64_t r = 0; r < c.n_out; ++r) {
      const float ref = wt.vec_dot_ref(c.n_in, w.data() + wrb * r, xq.data() + arb * t);
      double mag = 0;
      for (int64_t i = 0; i < c.n_in; ++i) mag += std::fabs(double(wd[r * c.n_in + i]) * xd[t * c.n_in + i]);
      // Each block's integer dot is exact; the float scale products and the
      // sum over blocks may round differently: <= n_terms ulps of the magnitude.
      const double tol = double(n_terms) * std::ldexp(mag, -22) + 1e-30;
      ASSERT_NEAR(y[t * c.n_out + r], ref, tol) << "row " << r << " token " << t;
    }
  }
}

class MatmulConformance : public ::testing::TestWithParam<GgmlType> {};

TEST_P(MatmulConformance, MatchesReferenceOnEveryLevel) {
  const GgmlType type = GetParam();
  const int64_t bs = type_info(type).block_size;
  const int64_t base = bs >= 256 ? 256 : 64;
  const bool raw_ok = type_info(type).quantized;
  std::mt19937 rng(1234 + static_cast<unsigned>(type));
  const int64_t toks[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 33};
  for (Isa isa : levels()) {
    int k = 0;
    for (int64_t n_tok : toks) {
      const int64_t n_out = (k % 3 == 0) ? 37 : (k % 3 == 1) ? 19 : 5;
      // 32-block types: 64 and 320 (eight-block batches plus a tail); K types: 256 and 768.
      const int64_t n_in = base * ((k % 2) ? (bs >= 256 ? 3 : 5) : 1);
      const WeightMode mode = (raw_ok && k % 2) ? WeightMode::kRawBytes : WeightMode::kQuantized;
      run_case({type, n_in, n_out, n_tok, mode, 1 + (k % 2)}, isa, rng);
      if (HasFatalFailure()) return;
      ++k;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllTypes, MatmulConformance, ::testing::ValuesIn(weight_types()),
                         [](const auto& info) { return std::string(to_string(info.param)); });

// The x8 layout (quant/interleave.h) on every level: the same bound against
// vec_dot_ref on the plain rows. Row counts are multiples of 8 (the layout's
// requirement): one group, two groups (two threads split them), five.
class MatmulX8 : public ::testing::TestWithParam<GgmlType> {};

TEST_P(MatmulX8, MatchesReferenceOnEveryLevel) {
  const GgmlType type = GetParam();
  std::mt19937 rng(99 + static_cast<unsigned>(type));
  const int64_t toks[] = {1, 2, 3, 5, 8, 9, 17, 33};
  for (Isa isa : levels()) {
    int k = 0;
    for (int64_t n_tok : toks) {
      const int64_t n_out = (k % 3 == 0) ? 40 : (k % 3 == 1) ? 16 : 8;
      const int64_t n_in = (k % 2) ? 320 : 64;
      const WeightMode mode = (k % 2) ? WeightMode::kRawBytes : WeightMode::kQuantized;
      run_case({type, n_in, n_out, n_tok, mode, 1 + (k % 2), RowLayout::kX8}, isa, rng);
      if (HasFatalFailure()) return;
      ++k;
    }
  }
}

std::vector<GgmlType> x8_types() {
  std::vector<GgmlType> out;
  for (GgmlType t : weight_types()) {
    if (has_x8_layout(t)) out.push_back(t);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(X8Types, MatmulX8, ::testing::ValuesIn(x8_types()),
                         [](const auto& info) { return std::string(to_string(info.param)); });

// Every row of an interleaved tensor comes back byte for byte.
TEST(Interleave, RoundTripsEveryRow) {
  std::mt19937 rng(7);
  for (GgmlType type : x8_types()) {
    const int64_t n_in = 96, n_out = 24;
    const std::vector<uint8_t> w = make_weights(type, n_out, n_in, WeightMode::kRawBytes, rng);
    std::vector<uint8_t> w8(w.size());
    interleave_x8(type, w.data(), w8.data(), n_out, n_in);
    const uint64_t rb = row_bytes(type, n_in);
    std::vector<uint8_t> row(rb);
    for (int64_t r = 0; r < n_out; ++r) {
      const X8Slice s{.group = w8.data() + rb * static_cast<uint64_t>(r / 8 * 8), .n_in = n_in,
                      .r = static_cast<int>(r % 8), .b0 = 0, .nb = n_in / 32};
      deinterleave_x8(type, s, row.data());
      ASSERT_EQ(std::memcmp(row.data(), w.data() + rb * static_cast<uint64_t>(r), rb), 0)
          << to_string(type) << " row " << r;
    }
  }
}

// The levels with GEMM kernels (x86/gemm_avx2.cpp, x86/gemm_avx512.cpp).
// The levels with a GEMM; where none has one (ARM64 today), the best level,
// so that the large shapes still run through its direct kernels.
std::vector<Isa> gemm_levels() {
  std::vector<Isa> out;
  for (Isa isa : levels()) {
    if (kernels_for(isa)->tile_tokens > 0) out.push_back(isa);
  }
  if (out.empty()) out.push_back(levels().back());
  return out;
}

// Shapes that reach every blocking loop of the GEMM kernels, on every level
// that has them: 520 tokens = a full 32-tile token block plus a one-token
// tile; 1280 inputs = several K-chunks (16 groups per chunk at 32 tiles on
// AVX-512, 8 on AVX2) with a short last one on AVX-512; 1312 inputs (41
// groups) and 260 tokens (17 tiles: q8_K chunks of 16 groups on AVX2) give
// AVX2 short last chunks too; 75 rows = a 64-row chunk plus a partial 8-row
// panel; two threads.
TEST(Matmul, GemmBlockingMatchesReference) {
  std::mt19937 rng(4321);
  for (Isa isa : gemm_levels()) {
    for (GgmlType type : {GgmlType::Q8_0, GgmlType::Q4_0, GgmlType::Q4_K, GgmlType::Q6_K, GgmlType::Q2_K}) {
      run_case({type, 1280, 75, 520, WeightMode::kQuantized, 2}, isa, rng);
      if (HasFatalFailure()) return;
    }
    run_case({GgmlType::Q5_0, 1312, 75, 520, WeightMode::kQuantized, 2}, isa, rng);
    run_case({GgmlType::Q4_K, 1280, 75, 260, WeightMode::kQuantized, 2}, isa, rng);
    if (HasFatalFailure()) return;
    for (GgmlType type : x8_types()) {  // 80 rows: a 64-row chunk and one 16-row chunk, in 8-row groups
      run_case({type, 1280, 80, 520, WeightMode::kQuantized, 2, RowLayout::kX8}, isa, rng);
      if (HasFatalFailure()) return;
    }
  }
}

// Every code at its largest (and q8_0's -128 / 127) times activation codes of
// +-127 (tokens 5 and 6), for every type with a GEMM at every level: the
// AVX2 kernel's int16 pair sums then come closest to saturating.
TEST(Matmul, GemmExtremeCodesMatchReference) {
  std::mt19937 rng(777);
  for (Isa isa : gemm_levels()) {
    for (GgmlType type : weight_types()) {
      if (!kernels_for(isa)->types[static_cast<uint32_t>(type)].gemm) continue;
      run_case({type, 512, 13, 23, WeightMode::kExtremeBytes, 1}, isa, rng);
      if (HasFatalFailure()) return;
    }
  }
}

// The llama.cpp-x86 rounding variant, byte-exact against quant/'s version.
TEST(QuantizeActs, LlamaX86RoundingMatchesReferenceVariant) {
  std::mt19937 rng(99);
  const int64_t n_in = 256, n_tok = 6;
  const std::vector<float> x = make_acts(n_tok, n_in, rng);
  for (Isa isa : levels()) {
    for (GgmlType wtype : {GgmlType::Q8_0, GgmlType::Q4_1}) {
      SCOPED_TRACE(std::string(to_string(isa)) + " " + std::string(to_string(wtype)));
      const GgmlType act = quant_traits(wtype).vec_dot_type;
      const FromFloatFn ref = act == GgmlType::Q8_0 ? quantize_row_q8_0_x86 : quantize_row_q8_1_x86;
      ThreadPool pool(2);
      const ActsShape shape{.weight_type = wtype, .n_in = n_in, .n_tok = n_tok, .rounding = ActRounding::kLlamaX86};
      AlignedBuf buf(quantize_acts_bytes(shape));
      const QuantizedActs a = quantize_acts(shape, x.data(), buf.data(), Exec{pool, *kernels_for(isa)});
      std::vector<uint8_t> want(a.row_bytes);
      for (int64_t t = 0; t < n_tok; ++t) {
        ref(x.data() + t * n_in, want.data(), n_in);
        EXPECT_EQ(std::memcmp(static_cast<const uint8_t*>(a.data) + a.row_bytes * t, want.data(), a.row_bytes), 0)
            << "token " << t;
      }
    }
  }
}

// A row range written into a strided slice leaves everything else untouched.
// n_tok 3 takes the direct kernels, 40 the GEMM (where the level has one).
class RowRange : public ::testing::TestWithParam<int64_t> {};

TEST_P(RowRange, WritesOnlyTheSliceWithStride) {
  std::mt19937 rng(7);
  const int64_t n_in = 256, n_out = 40, n_tok = GetParam(), stride = 50, r0 = 5, r1 = 31;
  const std::vector<uint8_t> w = make_weights(GgmlType::Q4_0, n_out, n_in, WeightMode::kQuantized, rng);
  const std::vector<float> x = make_acts(n_tok, n_in, rng);
  TensorView wv;
  wv.type = GgmlType::Q4_0;
  wv.ne = {n_in, n_out, 1, 1};
  wv.data = w.data();
  ThreadPool pool(2);
  const ActsShape shape{.weight_type = GgmlType::Q4_0, .n_in = n_in, .n_tok = n_tok};
  AlignedBuf buf(quantize_acts_bytes(shape));
  const QuantizedActs a = quantize_acts(shape, x.data(), buf.data(), pool);
  std::vector<float> full(static_cast<size_t>(n_tok * n_out)), part(static_cast<size_t>(n_tok * stride), -7.0f);
  matmul(wv, a, MatmulOut{.y = full.data()}, pool);
  matmul(wv, a, MatmulOut{.y = part.data(), .y_stride = stride, .row_begin = r0, .row_end = r1}, pool);
  for (int64_t t = 0; t < n_tok; ++t) {
    for (int64_t j = 0; j < stride; ++j) {
      const float got = part[t * stride + j];
      if (j < r1 - r0) EXPECT_EQ(got, full[t * n_out + r0 + j]) << t << " " << j;
      else EXPECT_EQ(got, -7.0f) << t << " " << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Tokens, RowRange, ::testing::Values(3, 40));

}  // namespace
}  // namespace hako
