// Model variants for tests (see model_variant.h).
#include "model_variant.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "gguf/gguf_file.h"
#include "support/testdata.h"

namespace hako::test {

void write_variant(const std::string& folder, const VariantEdits& edits, const std::string& out_path) {
  const gguf::GgufFile src =
      gguf::GgufFile::open_or_throw(testdata_path("reference/" + folder + "/model.gguf"));
  gguf::GgufWriter w;
  for (const auto& [key, value] : src.metadata()) w.set_value(key, value);
  if (edits.meta) edits.meta(w);
  std::vector<std::vector<uint8_t>> keep;  // tensor bytes must outlive the write
  keep.reserve(src.tensors().size());
  for (const gguf::TensorInfo& t : src.tensors()) {
    gguf::TensorSpec spec{std::string(t.name), t.type, {t.ne.begin(), t.ne.begin() + t.n_dims}};
    std::vector<uint8_t> data(t.data, t.data + t.n_bytes);
    if (edits.tensor && !edits.tensor(spec, data)) continue;
    keep.push_back(std::move(data));
    w.add_tensor(spec, keep.back());
  }
  for (const ExtraTensor& e : edits.extra) w.add_tensor(e.spec, e.data);
  w.write_or_throw(out_path);
}

TempPath::TempPath(const std::string& stem) {
  static std::atomic<int> counter{0};
  path_ = (std::filesystem::temp_directory_path() /
           (stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".gguf"))
              .string();
}

TempPath::~TempPath() { std::filesystem::remove(path_); }

}  // namespace hako::test
