// The table of GGUF/ggml tensor type ids: every id llama.cpp defines, with its
// canonical name, block size (elements) and bytes per block. The enum values
// ARE the ids stored in GGUF files. Functions to convert or multiply a type
// live in quant/ (quant/traits.h); this layer only describes storage.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hako {

enum class GgmlType : uint32_t {
  F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3,
  // 4, 5: Q4_2, Q4_3 (removed from ggml)
  Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
  Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
  IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22,
  IQ4_XS = 23, I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
  // 31..33: Q4_0_4_4, Q4_0_4_8, Q4_0_8_8 (removed from GGUF files)
  TQ1_0 = 34, TQ2_0 = 35,
  // 36..38: IQ4_NL_4_4, IQ4_NL_4_8, IQ4_NL_8_8 (removed)
  MXFP4 = 39, NVFP4 = 40, Q1_0 = 41, Q2_0 = 42,
};

inline constexpr uint32_t kGgmlTypeCount = 43;  // one past the largest id

struct TypeInfo {
  std::string_view name;  // canonical ggml spelling: "q4_K", "iq4_xs", "f32"
  uint32_t block_size;    // elements per block (1 for plain types); 0 = id unused
  uint32_t type_size;     // bytes per block
  bool quantized;
};

inline constexpr std::array<TypeInfo, kGgmlTypeCount> kTypeInfo = [] {
  std::array<TypeInfo, kGgmlTypeCount> t{};
  auto set = [&](GgmlType ty, std::string_view n, uint32_t bs, uint32_t ts, bool q) {
    t[static_cast<uint32_t>(ty)] = TypeInfo{n, bs, ts, q};
  };
  set(GgmlType::F32, "f32", 1, 4, false);
  set(GgmlType::F16, "f16", 1, 2, false);
  set(GgmlType::Q4_0, "q4_0", 32, 18, true);
  set(GgmlType::Q4_1, "q4_1", 32, 20, true);
  set(GgmlType::Q5_0, "q5_0", 32, 22, true);
  set(GgmlType::Q5_1, "q5_1", 32, 24, true);
  set(GgmlType::Q8_0, "q8_0", 32, 34, true);
  set(GgmlType::Q8_1, "q8_1", 32, 36, true);
  set(GgmlType::Q2_K, "q2_K", 256, 84, true);
  set(GgmlType::Q3_K, "q3_K", 256, 110, true);
  set(GgmlType::Q4_K, "q4_K", 256, 144, true);
  set(GgmlType::Q5_K, "q5_K", 256, 176, true);
  set(GgmlType::Q6_K, "q6_K", 256, 210, true);
  set(GgmlType::Q8_K, "q8_K", 256, 292, true);
  set(GgmlType::IQ2_XXS, "iq2_xxs", 256, 66, true);
  set(GgmlType::IQ2_XS, "iq2_xs", 256, 74, true);
  set(GgmlType::IQ3_XXS, "iq3_xxs", 256, 98, true);
  set(GgmlType::IQ1_S, "iq1_s", 256, 50, true);
  set(GgmlType::IQ4_NL, "iq4_nl", 32, 18, true);
  set(GgmlType::IQ3_S, "iq3_s", 256, 110, true);
  set(GgmlType::IQ2_S, "iq2_s", 256, 82, true);
  set(GgmlType::IQ4_XS, "iq4_xs", 256, 136, true);
  set(GgmlType::I8, "i8", 1, 1, false);
  set(GgmlType::I16, "i16", 1, 2, false);
  set(GgmlType::I32, "i32", 1, 4, false);
  set(GgmlType::I64, "i64", 1, 8, false);
  set(GgmlType::F64, "f64", 1, 8, false);
  set(GgmlType::IQ1_M, "iq1_m", 256, 56, true);
  set(GgmlType::BF16, "bf16", 1, 2, false);
  set(GgmlType::TQ1_0, "tq1_0", 256, 54, true);
  set(GgmlType::TQ2_0, "tq2_0", 256, 66, true);
  set(GgmlType::MXFP4, "mxfp4", 32, 17, true);
  set(GgmlType::NVFP4, "nvfp4", 64, 36, true);
  set(GgmlType::Q1_0, "q1_0", 128, 18, true);
  set(GgmlType::Q2_0, "q2_0", 64, 18, true);
  return t;
}();

// True for ids that name a type (not a removed/unused slot).
constexpr bool type_id_valid(uint32_t id) {
  return id < kGgmlTypeCount && kTypeInfo[id].block_size != 0;
}
constexpr const TypeInfo& type_info(GgmlType t) { return kTypeInfo[static_cast<uint32_t>(t)]; }
constexpr std::string_view to_string(GgmlType t) { return type_info(t).name; }
// Case-insensitive lookup by name ("Q4_K", "q4_k", "F16"); nullopt if unknown.
std::optional<GgmlType> ggml_type_from_name(std::string_view name);

// Bytes for a row of `n` elements; n must be a multiple of the block size.
constexpr uint64_t row_bytes(GgmlType t, uint64_t n) {
  const TypeInfo& i = type_info(t);
  return n / i.block_size * i.type_size;
}

}  // namespace hako
