// Tokenizer::from_gguf: builds a tokenizer from GGUF `tokenizer.ggml.*`
// metadata the way llama.cpp reads it (model, tokens, scores, token_type,
// merges, pre, special ids, add_bos/add_eos/add_space_prefix). Every missing
// or mistyped key gives an Error naming the file and the key.
#include <memory>
#include <string>

#include "base/error.h"
#include "gguf/gguf_file.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/pre_types.h"
#include "tokenizer/spm_model.h"
#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/wordpiece_model.h"

namespace hako::tokenizer {

namespace {

constexpr std::string_view kSpace = "\xE2\x96\x81";  // ▁

[[noreturn]] void fail(const gguf::GgufFile& f, ErrorKind kind, const std::string& msg) {
  throw Error(kind, f.path() + ": " + msg);
}

void read_tokens(const gguf::GgufFile& f, TokenizerImpl& t) {
  const gguf::Value* tokens = f.get_array("tokenizer.ggml.tokens");
  if (!tokens) fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.tokens' is missing");
  if (tokens->array_type() != gguf::ValueType::kString) {
    fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.tokens' must be an array of strings");
  }
  const uint64_t n = tokens->array_size();
  if (n == 0 || n > (uint64_t(1) << 31) - 1) {
    fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.tokens' has " + std::to_string(n) +
                                    " entries, expected 1..2147483647");
  }
  Vocab& v = t.vocab;
  v.texts.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view s = tokens->string_at(i);
    if (s.empty()) {
      v.texts[i] = "[EMPTY_" + std::to_string(i) + "]";  // as llama.cpp, so lookups stay unique
    } else {
      v.texts[i].assign(s);
    }
  }
  if (const gguf::Value* scores = f.get_array("tokenizer.ggml.scores")) {
    if (scores->array_size() < n) {
      fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.scores' has " + std::to_string(scores->array_size()) +
                                      " entries, expected " + std::to_string(n));
    }
    v.scores.resize(n);
    for (uint64_t i = 0; i < n; ++i) v.scores[i] = float(scores->float_at(i));
  }
  v.attrs.assign(n, TokenAttr::kNormal);
  if (const gguf::Value* types = f.get_array("tokenizer.ggml.token_type")) {
    if (types->array_size() < n) {
      fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.token_type' has " +
                                      std::to_string(types->array_size()) + " entries, expected " + std::to_string(n));
    }
    for (uint64_t i = 0; i < n; ++i) {
      int64_t ty = types->int_at(i);
      v.attrs[i] = ty >= 0 && ty <= 6 ? TokenAttr(ty) : TokenAttr::kUndefined;
    }
  }
  v.build_index();
}

std::vector<std::pair<std::string, std::string>> read_merges(const gguf::GgufFile& f) {
  const gguf::Value* merges = f.get_array("tokenizer.ggml.merges");
  if (!merges) fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.merges' is missing (needed by BPE)");
  if (merges->array_type() != gguf::ValueType::kString) {
    fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.merges' must be an array of strings");
  }
  std::vector<std::pair<std::string, std::string>> out(merges->array_size());
  for (uint64_t i = 0; i < merges->array_size(); ++i) {
    std::string_view m = merges->string_at(i);
    // "left right", split at the first space after the first byte (llama.cpp).
    size_t sp = m.size() > 1 ? m.find(' ', 1) : std::string_view::npos;
    if (sp != std::string_view::npos) {
      out[i] = {std::string(m.substr(0, sp)), std::string(m.substr(sp + 1))};
    }
  }
  return out;
}

int32_t read_id(const gguf::GgufFile& f, std::string_view key, int32_t fallback) {
  std::optional<uint32_t> v = f.get_u32(key);
  return v ? int32_t(*v) : fallback;
}

// Added tokens from the attributes: control and unknown tokens are special,
// user-defined ones are matched in plain text too.
void added_from_attrs(TokenizerImpl& t) {
  for (int32_t id = 0; id < t.vocab.size(); ++id) {
    const TokenAttr a = t.vocab.attrs[size_t(id)];
    if (a != TokenAttr::kControl && a != TokenAttr::kUnknown && a != TokenAttr::kUserDefined) continue;
    AddedToken tok;
    tok.id = id;
    tok.content = t.vocab.texts[size_t(id)];
    tok.special = a != TokenAttr::kUserDefined;
    t.added.push_back(std::move(tok));
  }
}

std::string unescape_spaces(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, kSpace.size(), kSpace) == 0) {
      out.push_back(' ');
      i += kSpace.size();
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

// llama.cpp's token_to_piece for SPM / WPM / SentencePiece-style BPE, except
// that user-defined tokens made of `▁` (Gemma's whitespace runs) decode to
// spaces, as the Hugging Face decoder does, instead of a literal `▁`.
void spm_pieces(TokenizerImpl& t) {
  auto& pieces = t.decoder.pieces;
  pieces.resize(size_t(t.vocab.size()));
  for (int32_t id = 0; id < t.vocab.size(); ++id) {
    const std::string& text = t.vocab.texts[size_t(id)];
    switch (t.vocab.attrs[size_t(id)]) {
      case TokenAttr::kNormal: pieces[size_t(id)] = unescape_spaces(text); break;
      case TokenAttr::kByte:
        pieces[size_t(id)] = text.size() == 6 ? std::string(1, char(std::stoi(text.substr(3, 2), nullptr, 16))) : text;
        break;
      case TokenAttr::kUserDefined: pieces[size_t(id)] = unescape_spaces(text); break;
      case TokenAttr::kControl:
      case TokenAttr::kUnknown: pieces[size_t(id)] = text; break;
      default: break;  // unused / undefined tokens decode to nothing
    }
  }
}

void byte_level_pieces(TokenizerImpl& t) {
  auto& pieces = t.decoder.pieces;
  pieces.resize(size_t(t.vocab.size()));
  for (int32_t id = 0; id < t.vocab.size(); ++id) {
    const std::string& text = t.vocab.texts[size_t(id)];
    const TokenAttr a = t.vocab.attrs[size_t(id)];
    if (a == TokenAttr::kNormal) {
      std::string bytes;
      pieces[size_t(id)] = byte_level_decode(text, bytes) ? bytes : text;
    } else if (a == TokenAttr::kControl || a == TokenAttr::kUnknown || a == TokenAttr::kUserDefined) {
      pieces[size_t(id)] = text;
    }
  }
}

void setup_spm(const gguf::GgufFile& f, TokenizerImpl& t) {
  t.type = VocabType::kSpm;
  t.ids = {read_id(f, "tokenizer.ggml.bos_token_id", 1), read_id(f, "tokenizer.ggml.eos_token_id", 2), -1, -1,
           read_id(f, "tokenizer.ggml.unknown_token_id", 0), -1, -1, -1};
  t.add_bos = true;
  const bool space_prefix = f.get_bool("tokenizer.ggml.add_space_prefix").value_or(true);
  if (space_prefix) {
    NormalizerStep pre;
    pre.kind = NormalizerKind::kPrepend;
    pre.content = " ";
    t.normalizer.add(pre);
  }
  NormalizerStep rep;
  rep.kind = NormalizerKind::kReplace;
  rep.pattern = " ";
  rep.content = std::string(kSpace);
  t.normalizer.add(rep);
  t.model = std::make_unique<SpmModel>(t.vocab, t.vocab.valid(t.ids.unk) ? t.ids.unk : -1);
  spm_pieces(t);
  t.decoder.strip_first_space = space_prefix;
  t.safe_split.build(t.vocab);
}

void setup_gpt2(const gguf::GgufFile& f, TokenizerImpl& t, std::string_view pre) {
  t.type = VocabType::kBpe;
  PreTypeSpec spec;
  if (pre.empty()) pre = "default";
  if (!pre_type_spec(pre, spec)) {
    fail(f, ErrorKind::kUnsupported, "pre-tokenizer 'tokenizer.ggml.pre' = '" + std::string(pre) + "' is not supported");
  }
  if (spec.nfc) {
    NormalizerStep nfc;
    nfc.kind = NormalizerKind::kUnicode;
    nfc.form = NormForm::kNfc;
    t.normalizer.add(nfc);
  }
  for (const std::string& re : spec.regexes) {
    PreTokenizerStep st;
    st.kind = PreTokenizerKind::kSplit;
    st.regex = std::make_shared<const Regex>(Regex::compile_or_throw(re));
    t.pretokenizer.add(st);
  }
  t.ids.bos = read_id(f, "tokenizer.ggml.bos_token_id", -1);
  t.ids.eos = read_id(f, "tokenizer.ggml.eos_token_id", -1);
  t.ids.unk = read_id(f, "tokenizer.ggml.unknown_token_id", -1);
  t.add_bos = spec.add_bos.value_or(false);
  BpeOptions opt;
  opt.byte_level = true;
  opt.ignore_merges = spec.ignore_merges;
  t.model = std::make_unique<BpeModel>(t.vocab, read_merges(f), opt);
  byte_level_pieces(t);
}

// Gemma 4: SentencePiece-style BPE over raw UTF-8 with ▁ for spaces.
void setup_gemma4(const gguf::GgufFile& f, TokenizerImpl& t) {
  t.type = VocabType::kBpe;
  NormalizerStep rep;
  rep.kind = NormalizerKind::kReplace;
  rep.pattern = " ";
  rep.content = std::string(kSpace);
  t.normalizer.add(rep);
  t.ids.bos = read_id(f, "tokenizer.ggml.bos_token_id", -1);
  t.ids.eos = read_id(f, "tokenizer.ggml.eos_token_id", -1);
  t.ids.unk = read_id(f, "tokenizer.ggml.unknown_token_id", -1);
  t.add_bos = true;  // llama.cpp forces BOS for Gemma 4
  BpeOptions opt;
  opt.byte_fallback = true;
  opt.unk_id = t.vocab.valid(t.ids.unk) ? t.ids.unk : -1;
  t.model = std::make_unique<BpeModel>(t.vocab, read_merges(f), opt);
  spm_pieces(t);
  t.safe_split.build(t.vocab);
}

void setup_bert(const gguf::GgufFile& f, TokenizerImpl& t) {
  t.type = VocabType::kWordPiece;
  t.ids.bos = read_id(f, "tokenizer.ggml.bos_token_id", read_id(f, "tokenizer.ggml.cls_token_id", 101));
  t.ids.unk = read_id(f, "tokenizer.ggml.unknown_token_id", 100);
  t.ids.sep = read_id(f, "tokenizer.ggml.seperator_token_id", 102);
  t.ids.pad = read_id(f, "tokenizer.ggml.padding_token_id", 0);
  t.ids.mask = read_id(f, "tokenizer.ggml.mask_token_id", 103);
  t.ids.eos = t.ids.sep;  // BERT inputs end with [SEP]
  t.add_bos = true;
  t.add_eos = true;
  NormalizerStep bert;
  bert.kind = NormalizerKind::kBert;
  bert.lowercase = f.get_bool("tokenizer.ggml.normalizer.lowercase").value_or(true);
  bert.strip_accents = f.get_bool("tokenizer.ggml.normalizer.strip_accents").value_or(bert.lowercase);
  t.normalizer.add(bert);
  PreTokenizerStep split;
  split.kind = PreTokenizerKind::kBert;
  t.pretokenizer.add(split);
  WordPieceOptions opt;
  opt.word_prefix = std::string(kSpace);
  opt.continuing_prefix = "";
  opt.unk_id = t.vocab.valid(t.ids.unk) ? t.ids.unk : -1;
  opt.max_input_chars = 0;
  t.model = std::make_unique<WordPieceModel>(t.vocab, opt);
  spm_pieces(t);
  t.decoder.strip_first_space = true;
}

}  // namespace

Tokenizer Tokenizer::from_gguf(const gguf::GgufFile& f) {
  auto t = std::make_unique<TokenizerImpl>();
  t->source = f.path();
  const std::optional<std::string_view> model = f.get_string("tokenizer.ggml.model");
  if (!model) fail(f, ErrorKind::kFormat, "metadata 'tokenizer.ggml.model' is missing");
  const std::string pre(f.get_string("tokenizer.ggml.pre").value_or(""));
  read_tokens(f, *t);
  if (*model == "llama") {
    setup_spm(f, *t);
  } else if (*model == "gpt2") {
    setup_gpt2(f, *t, pre);
  } else if (*model == "gemma4" || pre == "gemma4") {
    setup_gemma4(f, *t);
  } else if (*model == "bert") {
    setup_bert(f, *t);
  } else {
    fail(f, ErrorKind::kUnsupported, "tokenizer 'tokenizer.ggml.model' = '" + std::string(*model) +
                                         "' is not supported (supported: llama, gpt2, gemma4, bert)");
  }
  t->ids.eot = read_id(f, "tokenizer.ggml.eot_token_id", -1);
  t->ids.eom = read_id(f, "tokenizer.ggml.eom_token_id", -1);
  if (auto pad = f.get_u32("tokenizer.ggml.padding_token_id")) t->ids.pad = int32_t(*pad);
  if (auto v = f.get_bool("tokenizer.ggml.add_bos_token")) t->add_bos = *v;
  if (auto v = f.get_bool("tokenizer.ggml.add_eos_token")) t->add_eos = *v;
  if (*model == "gemma4") t->add_bos = true;
  added_from_attrs(*t);
  t->finalize();
  return Tokenizer(std::move(t));
}

Tokenizer Tokenizer::from_gguf_path(const std::string& path) {
  return from_gguf(gguf::GgufFile::open_or_throw(path));
}

}  // namespace hako::tokenizer
