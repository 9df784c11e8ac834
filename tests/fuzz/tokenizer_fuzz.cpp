// libFuzzer target for the tokenizer: arbitrary bytes (valid UTF-8 or not)
// go through each vocabulary type — SentencePiece (llama-spm GGUF), byte-level
// BPE (gpt-2 GGUF, qwen3 tokenizer.json with NFC and added tokens), BPE with
// byte fallback (gemma3 tokenizer.json) and WordPiece (bert-bge GGUF). Encode
// must never crash or return an id outside the vocabulary, the stream decoder
// must agree with whole decoding, and byte-level BPE without a normalizer must
// give the input back byte for byte. The first input byte picks the
// tokenizer and the options; the rest is the text. Test data is read from
// $HAKO_TESTDATA (default ../shared/testdata).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "tokenizer/stream_decoder.h"
#include "tokenizer/tokenizer.h"

namespace {

using hako::tokenizer::Tokenizer;

struct Loaded {
  std::vector<std::unique_ptr<Tokenizer>> toks;
  Loaded() {
    const char* env = std::getenv("HAKO_TESTDATA");
    const std::string root = env ? env : "../shared/testdata";
    for (const char* v : {"gpt-2", "llama-spm", "bert-bge"}) {
      toks.push_back(std::make_unique<Tokenizer>(
          Tokenizer::from_gguf_path(root + "/vocab/ggml-vocab-" + std::string(v) + ".gguf")));
    }
    for (const char* t : {"qwen3", "gemma3"}) {
      toks.push_back(std::make_unique<Tokenizer>(Tokenizer::from_hf_json(root + "/tokenizers/" + t)));
    }
  }
};

const Loaded& loaded() {
  static const Loaded l;
  return l;
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "tokenizer_fuzz: invariant failed: %s\n", what);
    std::abort();
  }
}

}  // namespace

// Loads the five vocabularies before the first input: that takes ~4 s in the
// instrumented build (qwen3's 151k merges), which would otherwise count
// against the first input's -timeout (a CI run under load reported it as a
// 12 s timeout).
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  loaded();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Loaded& l = loaded();
  const uint8_t sel = data[0];
  const size_t which = sel % l.toks.size();
  const Tokenizer& tok = *l.toks[which];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  hako::tokenizer::EncodeOptions opts;
  opts.parse_special = (sel & 0x10) ? hako::tokenizer::ParseSpecial::kYes : hako::tokenizer::ParseSpecial::kNo;
  opts.add_special = (sel & 0x20) ? hako::tokenizer::AddSpecial::kYes : hako::tokenizer::AddSpecial::kNo;
  opts.invalid_utf8 = (sel & 0x40) ? hako::tokenizer::InvalidUtf8::kReject : hako::tokenizer::InvalidUtf8::kByteFallback;
  std::vector<int32_t> ids;
  try {
    ids = tok.encode(text, opts);
  } catch (const hako::Error&) {
    check(opts.invalid_utf8 == hako::tokenizer::InvalidUtf8::kReject, "only kReject may throw");
    return 0;
  }
  for (int32_t id : ids) check(id >= 0 && id < tok.n_vocab(), "id in range");
  // Also decode ids taken straight from the input (any ids, any order).
  if (sel & 0x80) {
    ids.clear();
    for (size_t i = 1; i + 1 < size; i += 2) ids.push_back(int32_t((data[i] << 8 | data[i + 1]) % tok.n_vocab()));
  }
  const hako::tokenizer::DecodeOptions raw{.invalid = hako::tokenizer::InvalidOutput::kRaw};
  const std::string whole = tok.decode(ids, raw);
  hako::tokenizer::StreamDecoder stream(tok, raw);
  std::string streamed;
  for (int32_t id : ids) streamed += stream.push(id);
  streamed += stream.flush();
  check(streamed == whole, "stream decode equals whole decode");
  (void)tok.decode(ids);
  if (which == 0 && !(sel & 0x80) && opts.add_special == hako::tokenizer::AddSpecial::kNo &&
      opts.parse_special == hako::tokenizer::ParseSpecial::kNo) {
    check(whole == text, "byte-level BPE round trip");
  }
  return 0;
}
