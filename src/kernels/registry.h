// Internal: the functions through which each kernel file adds its kernels to
// a level's table (dispatch.cpp calls them in order, lowest level first).
// Each is defined in the file named beside it, compiled with that level's
// flags; none of them may be called on a CPU without that level.
#pragma once

#include "kernels/dispatch.h"

namespace hako {

void register_ref(KernelTable& t);               // scalar/ref_kernels.cpp

#if defined(__x86_64__)
void register_acts_avx2(KernelTable& t);         // x86/acts_avx2.cpp
void register_legacy_avx2(KernelTable& t);       // x86/legacy_avx2.cpp
void register_kquants_avx2(KernelTable& t);      // x86/kquants_avx2.cpp
void register_float_avx2(KernelTable& t);        // x86/float_avx2.cpp
void register_x8_avx2(KernelTable& t);           // x86/x8_avx2.cpp
void register_gemm_avx2(KernelTable& t);         // x86/gemm_avx2.cpp
void register_acts_avx512(KernelTable& t);       // x86/acts_avx512.cpp
void register_legacy_avx512(KernelTable& t);     // x86/legacy_avx512.cpp
void register_kquants_avx512(KernelTable& t);    // x86/kquants_avx512.cpp
void register_float_avx512(KernelTable& t);      // x86/float_avx512.cpp
void register_decode_avx512(KernelTable& t);     // x86/decode_avx512.cpp
void register_x8_avx512(KernelTable& t);         // x86/x8_avx512.cpp
void register_gemm_avx512(KernelTable& t);       // x86/gemm_avx512.cpp
#endif

#if defined(__aarch64__)
void register_acts_neon(KernelTable& t);         // arm/acts_neon.cpp
void register_float_neon(KernelTable& t);        // arm/float_neon.cpp
void register_legacy_dotprod(KernelTable& t);    // arm/legacy_dotprod.cpp
void register_kquants_dotprod(KernelTable& t);   // arm/kquants_dotprod.cpp
#endif

}  // namespace hako
