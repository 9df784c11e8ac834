// The K-quant scale searches (make_qx_quants, make_q3_quants,
// make_qkx2_quants) and the 8-lane dot accumulator, with ggml's exact float
// operation order so the reference quantizers reproduce llama-quantize's
// bytes. See k_search.h for the contracts. Not here: any block packing.
#include "quant/k_search.h"

#include <algorithm>
#include <cmath>

#include "quant/rounding.h"

namespace hako::quant_detail {

namespace {

// The signed value of largest magnitude (first wins ties) and its magnitude.
void signed_max(int n, const float* x, float* max, float* amax) {
  *max = 0;
  *amax = 0;
  for (int i = 0; i < n; ++i) {
    const float ax = std::fabs(x[i]);
    if (ax > *amax) {
      *amax = ax;
      *max = x[i];
    }
  }
}

int clamp_sym(int l, int nmax) { return std::max(-nmax, std::min(nmax - 1, l)); }

}  // namespace

float make_qx_quants(int nmax, std::span<const float> xs, int8_t* L, int rmse_type) {
  const int n = static_cast<int>(xs.size());
  const float* x = xs.data();
  float max, amax;
  signed_max(n, x, &max, &amax);
  if (amax < kGroupMaxEps) {
    std::fill(L, L + n, int8_t{0});
    return 0.f;
  }
  float iscale = -nmax / max;
  if (rmse_type == 0) {
    for (int i = 0; i < n; ++i) L[i] = static_cast<int8_t>(nmax + clamp_sym(nearest_int(iscale * x[i]), nmax));
    return 1 / iscale;
  }
  // Only rmse_type 1 (weights x^2) is used by the reference quantizers.
  float sumlx = 0, suml2 = 0;
  for (int i = 0; i < n; ++i) {
    const int l = clamp_sym(nearest_int(iscale * x[i]), nmax);
    L[i] = static_cast<int8_t>(l + nmax);
    const float w = x[i] * x[i];
    sumlx += w * x[i] * static_cast<float>(l);
    suml2 += w * static_cast<float>(l) * static_cast<float>(l);
  }
  float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
  float best = scale * sumlx;
  for (int is = -9; is <= 9; ++is) {
    if (is == 0) continue;
    iscale = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is)) / max;
    sumlx = suml2 = 0;
    for (int i = 0; i < n; ++i) {
      const int l = clamp_sym(nearest_int(iscale * x[i]), nmax);
      const float w = x[i] * x[i];
      sumlx += w * x[i] * static_cast<float>(l);
      suml2 += w * static_cast<float>(l) * static_cast<float>(l);
    }
    if (suml2 > 0 && sumlx * sumlx > best * suml2) {
      for (int i = 0; i < n; ++i) L[i] = static_cast<int8_t>(nmax + clamp_sym(nearest_int(iscale * x[i]), nmax));
      scale = sumlx / suml2;
      best = scale * sumlx;
    }
  }
  return scale;
}

float make_q3_quants(int nmax, std::span<const float> xs, int8_t* L, Q3Search search) {
  const int n = static_cast<int>(xs.size());
  const float* x = xs.data();
  float max, amax;
  signed_max(n, x, &max, &amax);
  if (amax < kGroupMaxEps) {
    std::fill(L, L + n, int8_t{0});
    return 0.f;
  }
  const float iscale = -nmax / max;
  if (search == Q3Search::kPlain) {
    for (int i = 0; i < n; ++i) L[i] = static_cast<int8_t>(clamp_sym(nearest_int(iscale * x[i]), nmax) + nmax);
    return 1 / iscale;
  }
  float sumlx = 0, suml2 = 0;
  for (int i = 0; i < n; ++i) {
    const int l = clamp_sym(nearest_int(iscale * x[i]), nmax);
    L[i] = static_cast<int8_t>(l);
    const float w = x[i] * x[i];
    sumlx += w * x[i] * static_cast<float>(l);
    suml2 += w * static_cast<float>(l) * static_cast<float>(l);
  }
  // Coordinate descent: move one code at a time while the fit improves.
  for (int itry = 0; itry < 5; ++itry) {
    int n_changed = 0;
    for (int i = 0; i < n; ++i) {
      const float w = x[i] * x[i];
      float slx = sumlx - w * x[i] * static_cast<float>(L[i]);
      if (slx > 0) {
        float sl2 = suml2 - w * static_cast<float>(L[i]) * static_cast<float>(L[i]);
        const int new_l = clamp_sym(nearest_int(x[i] * sl2 / slx), nmax);
        if (new_l != L[i]) {
          slx += w * x[i] * static_cast<float>(new_l);
          sl2 += w * static_cast<float>(new_l) * static_cast<float>(new_l);
          if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
            L[i] = static_cast<int8_t>(new_l);
            sumlx = slx;
            suml2 = sl2;
            ++n_changed;
          }
        }
      }
    }
    if (n_changed == 0) break;
  }
  for (int i = 0; i < n; ++i) L[i] = static_cast<int8_t>(L[i] + nmax);
  return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
}

ScaleMin make_qkx2_quants(std::span<const float> xs, uint8_t* L, const Qkx2Options& opt) {
  const int n = static_cast<int>(xs.size());
  const float* x = xs.data();
  const int nmax = opt.nmax;
  const float* weights = opt.weights;
  const bool mad = opt.norm == Qkx2Options::ErrorNorm::kAbsolute;
  float min = x[0], max = x[0];
  float sum_w = weights[0];
  float sum_x = sum_w * x[0];
  for (int i = 1; i < n; ++i) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
    sum_w += weights[i];
    sum_x += weights[i] * x[i];
  }
  if (min > 0) min = 0;
  if (max == min) {
    std::fill(L, L + n, uint8_t{0});
    return {0.f, -min};
  }
  auto err_of = [mad](float diff) { return mad ? std::fabs(diff) : diff * diff; };
  float iscale = static_cast<float>(nmax) / (max - min);
  float scale = 1 / iscale;
  float best_error = 0;
  for (int i = 0; i < n; ++i) {
    const int l = nearest_int(iscale * (x[i] - min));
    L[i] = static_cast<uint8_t>(std::max(0, std::min(nmax, l)));
    best_error += weights[i] * err_of(scale * static_cast<float>(L[i]) + min - x[i]);
  }
  if (opt.nstep < 1) return {scale, -min};
  uint8_t laux[32];
  for (int is = 0; is <= opt.nstep; ++is) {
    iscale = (opt.rmin + opt.rdelta * static_cast<float>(is) + static_cast<float>(nmax)) / (max - min);
    float sum_l = 0, sum_l2 = 0, sum_xl = 0;
    for (int i = 0; i < n; ++i) {
      const int l = std::max(0, std::min(nmax, nearest_int(iscale * (x[i] - min))));
      laux[i] = static_cast<uint8_t>(l);
      const float w = weights[i];
      const float lf = static_cast<float>(l);
      sum_l += w * lf;
      sum_l2 += w * lf * lf;
      sum_xl += w * lf * x[i];
    }
    const float D = sum_w * sum_l2 - sum_l * sum_l;
    if (D > 0) {
      float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
      float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
      if (this_min > 0) {
        this_min = 0;
        this_scale = sum_xl / sum_l2;
      }
      float cur_error = 0;
      for (int i = 0; i < n; ++i) {
        cur_error += weights[i] * err_of(this_scale * static_cast<float>(laux[i]) + this_min - x[i]);
      }
      if (cur_error < best_error) {
        std::copy(laux, laux + n, L);
        best_error = cur_error;
        scale = this_scale;
        min = this_min;
      }
    }
  }
  return {scale, -min};
}

void kquant_lane_sums(const int8_t* a, const int8_t* q8, const int* scale16, int32_t lanes[8]) {
  for (int l = 0; l < 8; ++l) lanes[l] = 0;
  for (int e = 0; e < 256; ++e) lanes[e % 8] += scale16[e / 16] * (a[e] * q8[e]);
}

}  // namespace hako::quant_detail
