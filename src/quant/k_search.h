// Internal: the scale searches ggml's K-quant reference quantizers use to
// pick a sub-block's scale (and min) and integer codes, plus the 8-lane
// integer accumulation that ggml's generic K-quant dot products use. Each
// routine reproduces ggml's float arithmetic operation by operation (order of
// operations matters for bit-exact output; src/quant is built with
// -ffp-contract=off for the same reason). Not a public header.
#pragma once

#include <cstdint>
#include <span>

namespace hako::quant_detail {

// Values below this magnitude count as an all-zero group (GROUP_MAX_EPS).
inline constexpr float kGroupMaxEps = 1e-15f;

// Symmetric codes L[i] in [0, 2*nmax) (value = scale * (L[i] - nmax)) for the
// x.size() values. rmse_type 0: plain max scaling; 1: the weighted (w = x^2)
// search over 19 candidate scales that q6_K uses. Returns the scale (0 for an
// all-zero group).
float make_qx_quants(int nmax, std::span<const float> x, int8_t* L, int rmse_type);

// q3_K's symmetric search: codes L[i] in [0, 2*nmax) with an iterative
// per-element refinement (do_rmse) weighted by x^2. Returns the scale.
enum class Q3Search { kPlain, kRmse };
float make_q3_quants(int nmax, std::span<const float> x, int8_t* L, Q3Search search);

// Inputs of make_qkx2_quants beyond the values: the code range, the weights
// per value and the candidate-scale sweep iscale = (rmin + rdelta*is + nmax) /
// (max - min) for is = 0..nstep.
struct Qkx2Options {
  int nmax;
  const float* weights;  // one per value
  float rmin;
  float rdelta;
  int nstep;
  enum class ErrorNorm { kSquared, kAbsolute } norm;  // use_mad in ggml
};

struct ScaleMin {
  float scale;
  float min;  // non-negative offset: value = scale * L - min
};

// Asymmetric codes L[i] in [0, nmax] for x.size() <= 32 values, searching
// nstep+1 candidate scales for the least weighted error.
ScaleMin make_qkx2_quants(std::span<const float> x, uint8_t* L, const Qkx2Options& opt);

// ggml's generic K-quant dot accumulates 8 integer lanes: lane l sums
// scale[e/16] * a[e] * q8[e] over the 256 elements e with e % 8 == l.
// `scale16` gives the integer scale of each 16-element group.
void kquant_lane_sums(const int8_t* a, const int8_t* q8, const int* scale16, int32_t lanes[8]);

}  // namespace hako::quant_detail
