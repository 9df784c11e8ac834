// Tokenizer's public methods, TokenizerImpl::finalize and the end-of-
// generation rules (see tokenizer.h). Loading lives in load_gguf.cpp and
// load_hf_json.cpp; the encode path in encode.cpp.
#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <memory>
#include <array>
#include <atomic>

#include "base/error.h"
#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

std::string_view to_string(VocabType type) {
  switch (type) {
    case VocabType::kSpm: return "spm";
    case VocabType::kBpe: return "bpe";
    case VocabType::kWordPiece: return "wordpiece";
  }
  return "?";
}

bool is_eog_text(std::string_view t) {
  static constexpr std::array<std::string_view, 29> kEog = {
      "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
      "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
      "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
      "<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>",  // <｜end▁of▁sentence｜>
      "[e~[",
      // FIM pad / repo / file-separator tokens also end generation in llama.cpp.
      "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<|fim_repo|>", "<|repo_name|>", "<reponame>",
      "<|file_sep|>",
  };
  return std::find(kEog.begin(), kEog.end(), t) != kEog.end();
}

namespace {

// gpt-oss's structural tokens stay visible when specials are hidden, so that
// output parsers can see channels (llama.cpp does the same).
bool always_rendered(std::string_view t) {
  return t == "<|channel|>" || t == "<|message|>" || t == "<|start|>" || t == "<|constrain|>";
}

void build_eog(TokenizerImpl& t) {
  std::vector<int32_t> eog;
  for (int32_t id = 0; id < t.vocab.size(); ++id) {
    if (is_eog_text(t.vocab.texts[size_t(id)])) eog.push_back(id);
  }
  for (int32_t id : {t.ids.eos, t.ids.eot, t.ids.eom}) {
    if (t.vocab.valid(id)) eog.push_back(id);
  }
  std::sort(eog.begin(), eog.end());
  eog.erase(std::unique(eog.begin(), eog.end()), eog.end());
  auto has = [&](std::string_view text) {
    int32_t id = t.vocab.find(text);
    return id >= 0 && std::binary_search(eog.begin(), eog.end(), id) ? id : -1;
  };
  auto drop = [&](int32_t id) {
    if (id >= 0) eog.erase(std::find(eog.begin(), eog.end(), id));
  };
  // o200k_harmony / solar-open: <|end|> closes a message, not the generation.
  const int32_t end = has("<|end|>");
  if (end >= 0 && ((has("<|return|>") >= 0 && has("<|call|>") >= 0) ||
                   (has("<|calls|>") >= 0 && has("<|flush|>") >= 0))) {
    drop(end);
  }
  // Gemma 4: </s> is ordinary text there.
  if (has("<|tool_response>") >= 0) drop(has("</s>"));
  t.eog = std::move(eog);
  t.eog_flag.assign(size_t(t.vocab.size()), 0);
  for (int32_t id : t.eog) t.eog_flag[size_t(id)] = 1;
}

}  // namespace

void TokenizerImpl::finalize() {
  HAKO_ASSERT(model != nullptr);
  static std::atomic<uint64_t> next_instance{1};
  instance_id = next_instance.fetch_add(1);
  raw_matcher.build(added, false);
  normalized_matcher.build(added, true);
  has_normalized_added = std::any_of(added.begin(), added.end(), [](const AddedToken& a) { return a.normalized; });
  for (int32_t* id : {&ids.bos, &ids.eos, &ids.eot, &ids.eom, &ids.unk, &ids.pad, &ids.sep, &ids.mask}) {
    if (!vocab.valid(*id)) *id = -1;
  }
  if (add_bos && ids.bos < 0) add_bos = false;
  if (add_eos && ids.eos < 0) add_eos = false;
  build_eog(*this);
  decoder.special.assign(size_t(vocab.size()), 0);
  for (int32_t id = 0; id < vocab.size(); ++id) {
    const TokenAttr a = vocab.attrs[size_t(id)];
    if ((a == TokenAttr::kControl || a == TokenAttr::kUnknown) && !always_rendered(vocab.texts[size_t(id)])) {
      decoder.special[size_t(id)] = 1;
    }
  }
  if (decoder.pieces.size() < size_t(vocab.size())) decoder.pieces.resize(size_t(vocab.size()));
}

namespace {

// Scratch (with the word and merge-pair caches in it) is kept per thread for
// the last two tokenizers used, so repeated calls neither allocate nor start
// cold, and alternating between two tokenizers does not thrash. About 2 MiB
// per entry at most.
EncodeScratch& thread_scratch(const TokenizerImpl& t) {
  struct Entry {
    uint64_t owner = 0;
    std::unique_ptr<EncodeScratch> scratch;
  };
  thread_local std::array<Entry, 2> entries;
  thread_local size_t next_victim = 0;
  for (Entry& e : entries) {
    if (e.owner == t.instance_id && e.scratch) return *e.scratch;
  }
  Entry& e = entries[next_victim];
  next_victim = (next_victim + 1) % entries.size();
  e.scratch = std::make_unique<EncodeScratch>();
  e.scratch->model = t.model->make_scratch();
  e.owner = t.instance_id;
  return *e.scratch;
}

}  // namespace

Tokenizer::Tokenizer(std::unique_ptr<TokenizerImpl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::load(const std::string& path) {
  const bool gguf = path.size() >= 5 && path.compare(path.size() - 5, 5, ".gguf") == 0;
  if (gguf) return from_gguf_path(path);
  return from_hf_json(path);
}

std::vector<int32_t> Tokenizer::encode(std::string_view text, const EncodeOptions& opts) const {
  const TokenizerImpl& t = *impl_;
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 4);
  if (opts.add_special == AddSpecial::kYes && t.add_bos) out.push_back(t.ids.bos);
  EncodeScratch& sc = thread_scratch(t);
  sc.fragments.clear();
  const SpecialMode mode = opts.parse_special == ParseSpecial::kYes ? SpecialMode::kParseSpecial : SpecialMode::kPlain;
  if (!text.empty()) {
    if (t.raw_matcher.empty(mode)) {
      t.encode_text(text, true, opts.invalid_utf8, out, sc);
    } else {
      t.raw_matcher.split(text, mode, sc.fragments);
      for (const Fragment& f : sc.fragments) {  // encode_text does not touch sc.fragments
        if (f.token >= 0) {
          out.push_back(f.token);
        } else {
          t.encode_text(text.substr(f.offset, f.length), f.offset == 0, opts.invalid_utf8, out, sc);
        }
      }
    }
  }
  if (opts.add_special == AddSpecial::kYes && t.add_eos) out.push_back(t.ids.eos);
  return out;
}

std::string Tokenizer::decode(std::span<const int32_t> ids, const DecodeOptions& opts) const {
  const TokenizerImpl& t = *impl_;
  std::string out;
  bool first = true;
  for (int32_t id : ids) {
    if (!t.vocab.valid(id)) continue;
    if (opts.special == SpecialTokens::kHide && t.decoder.special[size_t(id)]) continue;
    out.append(t.decoder.piece(id, first));
    first = false;
  }
  const bool cleanup = opts.cleanup == CleanUp::kOn ||
                       (opts.cleanup == CleanUp::kModelDefault && t.decoder.cleanup_spaces);
  if (cleanup) out = cleanup_tokenization_spaces(out);
  if (opts.invalid == InvalidOutput::kReplace && !utf8_is_valid(out)) out = utf8_sanitize(out);
  return out;
}

int32_t Tokenizer::n_vocab() const { return impl_->vocab.size(); }
VocabType Tokenizer::type() const { return impl_->type; }

std::string_view Tokenizer::token_text(int32_t id) const {
  return impl_->vocab.valid(id) ? std::string_view(impl_->vocab.texts[size_t(id)]) : std::string_view();
}

std::string_view Tokenizer::token_piece(int32_t id) const {
  return impl_->vocab.valid(id) ? std::string_view(impl_->decoder.pieces[size_t(id)]) : std::string_view();
}

int32_t Tokenizer::find_token(std::string_view text) const { return impl_->vocab.find(text); }
int32_t Tokenizer::bos() const { return impl_->ids.bos; }
int32_t Tokenizer::eos() const { return impl_->ids.eos; }
int32_t Tokenizer::eot() const { return impl_->ids.eot; }
int32_t Tokenizer::unk() const { return impl_->ids.unk; }
int32_t Tokenizer::pad() const { return impl_->ids.pad; }
bool Tokenizer::add_bos() const { return impl_->add_bos; }
bool Tokenizer::add_eos() const { return impl_->add_eos; }

bool Tokenizer::is_special(int32_t id) const {
  return impl_->vocab.valid(id) && impl_->decoder.special[size_t(id)];
}

bool Tokenizer::is_eog(int32_t id) const { return impl_->vocab.valid(id) && impl_->eog_flag[size_t(id)]; }
const std::vector<int32_t>& Tokenizer::eog_ids() const { return impl_->eog; }

}  // namespace hako::tokenizer
