// libFuzzer target for the GGUF reader: any byte string must either parse or
// throw hako::Error — never crash, hang, read out of bounds or allocate
// without bound (ASan/UBSan report those). After a successful parse it walks
// every metadata value and tensor the way a loader would, so the views the
// reader hands out are exercised too.
#include <cstddef>
#include <cstdint>

#include "base/error.h"
#include "gguf/gguf_file.h"

namespace {

uint64_t walk(const hako::gguf::Value& v, int depth) {
  using hako::gguf::ValueType;
  uint64_t h = static_cast<uint64_t>(v.type());
  if (v.type() != ValueType::kArray) return h + v.summarize().size();
  h += v.summarize(4).size();
  for (uint64_t i = 0; i < v.array_size() && i < 64; ++i) {
    switch (v.array_type()) {
      case ValueType::kString: h += v.string_at(i).size(); break;
      case ValueType::kArray: h += walk(v.array_at(i), depth + 1); break;
      default: h += v.bits_at(i); break;
    }
  }
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto f = hako::gguf::GgufFile::parse_or_throw(data, size, "fuzz.gguf");
    volatile uint64_t sink = 0;
    for (const auto& [k, v] : f.metadata()) {
      sink = sink + k.size() + walk(v, 0);
      (void)f.find(k);
    }
    for (const auto& t : f.tensors()) {
      const hako::TensorView view = t.view();
      if (t.n_bytes > 0) sink = sink + t.data[0] + t.data[t.n_bytes - 1];
      sink = sink + view.n_bytes() + static_cast<uint64_t>(view.n_rows());
      (void)f.find_tensor(t.name);
    }
    try {
      (void)f.architecture();
      (void)f.get_u32("general.alignment");
      (void)f.get_f32("llama.rope.freq_base");
    } catch (const hako::Error&) {
    }
  } catch (const hako::Error&) {
  }
  return 0;
}
