// Bit-compatibility with llama.cpp: every quantized tensor of every
// llama-quantize output under testdata/reference (<arch>-Q8_0, -Q4_0, -Q6_K,
// -MXFP4_MOE, ... next to the F32 model <arch>/) is (a) dequantized and held
// to the format's round-trip bound against the F32 original, and (b)
// re-quantized from the F32 original with hako's reference quantizer, which
// must reproduce llama-quantize's bytes exactly. Tensors are compared by
// their actual type (llama-quantize keeps norms in F32 and may store
// token_embd / output in another type). Not here: random-input tests
// (quant_roundtrip_test).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "gguf/gguf_file.h"
#include "quant/formats.h"
#include "quant/traits.h"
#include "quant_rows.h"
#include "support/testdata.h"

namespace hako {
namespace {

namespace fs = std::filesystem;

struct TypeStats {
  int n_tensors = 0;
  int n_exact = 0;
  int64_t n_blocks = 0;
  int64_t n_blocks_differing = 0;
  double worst_err_over_amax = 0;
};

// Quantizer that llama-quantize (no imatrix) runs for type t. It is ggml's
// quantize_row_<t>_ref for every type hako supports except iq4_nl, whose
// file path searches more scales than its _ref (see formats.h).
FromFloatFn file_quantizer(GgmlType t) {
  if (t == GgmlType::IQ4_NL) return quantize_row_iq4_nl_llama_quantize;
  return quant_traits(t).from_float_ref;
}

// Pairs each quantized folder <base>-<VARIANT> with its F32 folder <base>.
std::vector<std::pair<fs::path, fs::path>> quantized_folders(const fs::path& root) {
  std::vector<std::pair<fs::path, fs::path>> out;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    const std::string name = entry.path().filename().string();
    const size_t dash = name.rfind('-');
    if (dash == std::string::npos) continue;
    const fs::path base = root / name.substr(0, dash);
    if (fs::exists(base / "model.gguf") && fs::exists(entry.path() / "model.gguf")) {
      out.emplace_back(entry.path(), base);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Largest (|x - y| - floor) / amax over blocks of the tensor; amax per block.
double dequant_error(GgmlType t, const float* x, const float* y, int64_t n, bool* within_bound) {
  const test::ErrorBound b = test::error_bound(t);
  const int64_t bs = type_info(t).block_size;
  double worst = 0;
  *within_bound = true;
  for (int64_t i0 = 0; i0 < n; i0 += bs) {
    double amax = 0, err = 0;
    for (int64_t i = i0; i < i0 + bs; ++i) {
      amax = std::max(amax, std::fabs(static_cast<double>(x[i])));
      err = std::max(err, std::fabs(static_cast<double>(x[i]) - y[i]));
    }
    if (err > b.rel * amax + b.floor) *within_bound = false;
    if (amax > 0) worst = std::max(worst, (err - b.floor) / amax);
  }
  return worst;
}

TEST(LlamaCompat, QuantizedTensorsMatchLlamaQuantize) {
  const fs::path root = test::testdata_path("reference");
  if (!fs::exists(root)) GTEST_SKIP() << "no " << root << " in this checkout";
  const auto folders = quantized_folders(root);
  ASSERT_FALSE(folders.empty()) << "no <arch>-<QUANT> folders under " << root;

  std::map<std::string, TypeStats> stats;
  for (const auto& [qdir, fdir] : folders) {
    const auto qfile = gguf::GgufFile::open_or_throw((qdir / "model.gguf").string());
    const auto ffile = gguf::GgufFile::open_or_throw((fdir / "model.gguf").string());
    for (const auto& qt : qfile.tensors()) {
      if (qt.type == GgmlType::F32) continue;
      const std::string where = qdir.filename().string() + " " + std::string(qt.name);
      ASSERT_TRUE(has_quant_traits(qt.type)) << where << " has type " << to_string(qt.type);
      const auto* ft = ffile.find_tensor(qt.name);
      ASSERT_NE(ft, nullptr) << where << " missing from " << fdir;
      ASSERT_EQ(ft->type, GgmlType::F32) << where;
      ASSERT_EQ(ft->ne, qt.ne) << where;
      const int64_t n = qt.n_elements();
      ASSERT_EQ(qt.n_bytes, row_bytes(qt.type, static_cast<uint64_t>(n))) << where;
      const auto* x = reinterpret_cast<const float*>(ft->data);

      // (a) dequantize vs the F32 original
      std::vector<float> y(static_cast<size_t>(n));
      quant_traits(qt.type).to_float(qt.data, y.data(), n);
      bool within = false;
      TypeStats& s = stats[std::string(to_string(qt.type))];
      s.worst_err_over_amax = std::max(s.worst_err_over_amax, dequant_error(qt.type, x, y.data(), n, &within));
      EXPECT_TRUE(within) << where << ": dequantized values exceed the " << to_string(qt.type) << " bound";

      // (b) re-quantize and compare bytes
      std::vector<uint8_t> mine(qt.n_bytes);
      file_quantizer(qt.type)(x, mine.data(), n);
      const size_t bsz = type_info(qt.type).type_size;
      int64_t differing = 0;
      for (size_t off = 0; off < mine.size(); off += bsz) {
        differing += std::memcmp(mine.data() + off, qt.data + off, bsz) != 0;
      }
      ++s.n_tensors;
      s.n_exact += differing == 0;
      s.n_blocks += static_cast<int64_t>(mine.size() / bsz);
      s.n_blocks_differing += differing;
      EXPECT_EQ(differing, 0) << where << ": " << differing << " of " << mine.size() / bsz << " "
                              << to_string(qt.type) << " blocks differ from llama-quantize";
    }
  }
  std::cout << "type      tensors  bit-exact  blocks  blocks-differing  worst |err|/amax\n";
  for (const auto& [name, s] : stats) {
    std::cout << name << std::string(10 - std::min<size_t>(9, name.size()), ' ') << s.n_tensors << "  "
              << s.n_exact << "  " << s.n_blocks << "  " << s.n_blocks_differing << "  " << s.worst_err_over_amax
              << "\n";
  }
  // The folders this test exists for must be there.
  for (const char* t : {"q8_0", "q4_0", "q6_K"}) EXPECT_GT(stats[t].n_tensors, 0) << t;
}

}  // namespace
}  // namespace hako
