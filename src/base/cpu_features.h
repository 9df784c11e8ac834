// What the CPU we run on can do, detected once. Kernels are chosen from this
// at run time (never at compile time), and HAKO_KERNELS=ref forces scalar.
#pragma once

#include <string>

namespace hako {

struct CpuFeatures {
  bool avx2 = false;      // + FMA + F16C
  bool avx512 = false;    // F, BW, VL, DQ
  bool avx512_vnni = false;
  bool avx512_bf16 = false;
  bool neon = false;
  bool dotprod = false;   // ARMv8.2 SDOT/UDOT
  bool i8mm = false;
  int n_cores = 1;        // logical CPUs available to this process
};

// Detected once, thread-safe, never changes.
const CpuFeatures& cpu_features();
// "avx2 avx512 vnni ..." for logs and `hako bench`.
std::string to_string(const CpuFeatures& f);

}  // namespace hako
