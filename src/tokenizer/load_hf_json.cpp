// Tokenizer::from_hf_json: builds a tokenizer from a Hugging Face
// tokenizer.json (plain or gzip-compressed) and the tokenizer_config.json
// beside it: vocabulary, BPE merges or WordPiece, added tokens with their
// flags, normalizer / pre-tokenizer / decoder, BOS/EOS.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"
#include "tokenizer/bpe_model.h"
#include "tokenizer/hf_json_reader.h"
#include "tokenizer/hf_pipeline.h"
#include "tokenizer/tokenizer_impl.h"
#include "tokenizer/wordpiece_model.h"

namespace hako::tokenizer {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json parse_json(const std::string& path) {
  const std::string text = read_maybe_gz(path);
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw Error(ErrorKind::kFormat, path + ": not valid JSON");
  return j;
}

struct Paths {
  std::string tokenizer;
  std::string config;  // empty if absent
};

Paths resolve(const std::string& path_or_dir) {
  fs::path p(path_or_dir);
  fs::path dir;
  Paths out;
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    dir = p;
    for (const char* name : {"tokenizer.json", "tokenizer.json.gz"}) {
      if (fs::exists(dir / name, ec)) {
        out.tokenizer = (dir / name).string();
        break;
      }
    }
    if (out.tokenizer.empty()) {
      throw Error(ErrorKind::kIo, path_or_dir + ": no tokenizer.json or tokenizer.json.gz in this directory");
    }
  } else {
    if (!fs::exists(p, ec)) throw Error(ErrorKind::kIo, path_or_dir + ": no such file");
    out.tokenizer = p.string();
    dir = p.parent_path();
  }
  if (fs::exists(dir / "tokenizer_config.json", ec)) out.config = (dir / "tokenizer_config.json").string();
  return out;
}

// A special-token entry of tokenizer_config.json: "text" or {"content": "text"}.
std::string token_content(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object() && j.contains("content") && j["content"].is_string()) return j["content"].get<std::string>();
  return {};
}

void read_vocab(HfJsonDoc& doc, const json& added, const std::string& file, TokenizerImpl& t) {
  const json& model = doc.root["model"];
  if (!doc.vocab_streamed) {
    auto it = model.find("vocab");
    if (it == model.end() || !it->is_object()) {
      throw Error(ErrorKind::kFormat, file + ": model.vocab must be an object {token: id}");
    }
    for (const auto& [tok, id] : it->items()) {
      if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > (int64_t(1) << 30)) {
        throw Error(ErrorKind::kFormat, file + ": model.vocab['" + tok + "'] must be an id in 0..2^30");
      }
      doc.vocab.emplace_back(tok, id.get<int64_t>());
    }
  }
  int64_t max_id = -1;
  for (const auto& e : doc.vocab) max_id = std::max<int64_t>(max_id, e.second);
  for (const json& a : added) max_id = std::max<int64_t>(max_id, a.value("id", int64_t(-1)));
  if (max_id > (int64_t(1) << 30)) throw Error(ErrorKind::kFormat, file + ": added token id above 2^30");
  Vocab& v = t.vocab;
  v.texts.assign(size_t(max_id + 1), std::string());
  v.attrs.assign(size_t(max_id + 1), TokenAttr::kUnused);
  for (auto& [tok, id] : doc.vocab) {
    v.texts[size_t(id)] = std::move(tok);
    v.attrs[size_t(id)] = TokenAttr::kNormal;
  }
  doc.vocab.clear();
  for (const json& a : added) {
    const int64_t id = a.value("id", int64_t(-1));
    if (id < 0 || !a.contains("content") || !a["content"].is_string()) {
      throw Error(ErrorKind::kFormat, file + ": added_tokens entry without an id and content: " + a.dump());
    }
    AddedToken tok;
    tok.id = int32_t(id);
    tok.content = a["content"].get<std::string>();
    tok.special = a.value("special", false);
    tok.lstrip = a.value("lstrip", false);
    tok.rstrip = a.value("rstrip", false);
    tok.single_word = a.value("single_word", false);
    tok.normalized = a.value("normalized", !tok.special);
    v.texts[size_t(id)] = tok.content;
    v.attrs[size_t(id)] = tok.special ? TokenAttr::kControl : TokenAttr::kUserDefined;
    t.added.push_back(std::move(tok));
  }
  v.build_index();
  for (int b = 0; b < 256; ++b) {
    int32_t id = v.byte_tokens[size_t(b)];
    if (id >= 0 && v.attrs[size_t(id)] == TokenAttr::kNormal) v.attrs[size_t(id)] = TokenAttr::kByte;
  }
}

std::vector<std::pair<std::string, std::string>> read_merges(HfJsonDoc& doc, const std::string& file) {
  if (doc.merges_streamed) return std::move(doc.merges);
  const json& model = doc.root["model"];
  std::vector<std::pair<std::string, std::string>> out;
  auto it = model.find("merges");
  if (it == model.end() || it->is_null()) return out;
  if (!it->is_array()) throw Error(ErrorKind::kFormat, file + ": model.merges must be an array");
  out.reserve(it->size());
  for (const json& m : *it) {
    if (m.is_string()) {
      const std::string& s = m.get_ref<const std::string&>();
      size_t sp = s.find(' ');
      if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos) {
        throw Error(ErrorKind::kFormat, file + ": merge '" + s + "' is not two tokens separated by one space");
      }
      out.emplace_back(s.substr(0, sp), s.substr(sp + 1));
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      out.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
    } else {
      throw Error(ErrorKind::kFormat, file + ": merge " + m.dump() + " is not \"a b\" or [\"a\", \"b\"]");
    }
  }
  return out;
}

void read_model(HfJsonDoc& doc, const std::string& file, bool byte_level, TokenizerImpl& t) {
  const json& model = doc.root["model"];
  const std::string type = model.value("type", std::string("BPE"));
  auto unk_id = [&]() {
    auto it = model.find("unk_token");
    return it != model.end() && it->is_string() ? t.vocab.find(it->get<std::string>()) : -1;
  };
  if (type == "BPE") {
    t.type = VocabType::kBpe;
    BpeOptions opt;
    opt.byte_level = byte_level;
    opt.byte_fallback = model.value("byte_fallback", false);
    opt.ignore_merges = model.value("ignore_merges", false);
    opt.fuse_unk = model.value("fuse_unk", false);
    opt.unk_id = unk_id();
    if (model.contains("continuing_subword_prefix") && model["continuing_subword_prefix"].is_string()) {
      opt.continuing_subword_prefix = model["continuing_subword_prefix"].get<std::string>();
    }
    if (model.contains("end_of_word_suffix") && model["end_of_word_suffix"].is_string()) {
      opt.end_of_word_suffix = model["end_of_word_suffix"].get<std::string>();
    }
    t.ids.unk = opt.unk_id;
    t.model = std::make_unique<BpeModel>(t.vocab, read_merges(doc, file), opt);
    if (!byte_level) t.safe_split.build(t.vocab);
  } else if (type == "WordPiece") {
    t.type = VocabType::kWordPiece;
    WordPieceOptions opt;
    opt.continuing_prefix = model.value("continuing_subword_prefix", std::string("##"));
    opt.unk_id = unk_id();
    opt.max_input_chars = model.value("max_input_chars_per_word", size_t(100));
    t.ids.unk = opt.unk_id;
    t.model = std::make_unique<WordPieceModel>(t.vocab, opt);
  } else {
    throw Error(ErrorKind::kUnsupported, file + ": model type '" + type + "' is not supported (BPE, WordPiece)");
  }
}

void read_config(const std::string& path, TokenizerImpl& t) {
  const json c = parse_json(path);
  if (!c.is_object()) return;
  auto id_of = [&](const char* key, int32_t& id) {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return;
    const std::string text = token_content(*it);
    if (!text.empty()) id = t.vocab.find(text);
  };
  id_of("bos_token", t.ids.bos);
  id_of("eos_token", t.ids.eos);
  id_of("unk_token", t.ids.unk);
  id_of("pad_token", t.ids.pad);
  id_of("sep_token", t.ids.sep);
  if (c.contains("add_bos_token") && c["add_bos_token"].is_boolean()) t.add_bos = c["add_bos_token"].get<bool>();
  if (c.contains("add_eos_token") && c["add_eos_token"].is_boolean()) t.add_eos = c["add_eos_token"].get<bool>();
  if (c.contains("clean_up_tokenization_spaces") && c["clean_up_tokenization_spaces"].is_boolean()) {
    t.decoder.cleanup_spaces = c["clean_up_tokenization_spaces"].get<bool>();
  }
}

}  // namespace

Tokenizer Tokenizer::from_hf_json(const std::string& path_or_dir) {
  const Paths paths = resolve(path_or_dir);
  const std::string& file = paths.tokenizer;
  HfJsonDoc doc = parse_hf_tokenizer_json(read_maybe_gz(file), file);
  const json& j = doc.root;
  if (!j.is_object() || !j.contains("model") || !j["model"].is_object()) {
    throw Error(ErrorKind::kFormat, file + ": not a tokenizer.json (no \"model\" object)");
  }
  const std::string model_type = j["model"].value("type", std::string("BPE"));
  if (model_type != "BPE" && model_type != "WordPiece") {
    throw Error(ErrorKind::kUnsupported, file + ": model type '" + model_type + "' is not supported (BPE, WordPiece)");
  }
  auto t = std::make_unique<TokenizerImpl>();
  t->source = file;
  const json added = j.value("added_tokens", json::array());
  read_vocab(doc, added, file, *t);
  hf_read_normalizer(j.value("normalizer", json()), file, *t);
  const bool byte_level = hf_read_pretokenizer(j.value("pre_tokenizer", json()), file, *t);
  read_model(doc, file, byte_level, *t);
  hf_read_decoder(j.value("decoder", json()), file, *t);
  hf_read_post_processor(j.value("post_processor", json()), *t);
  if (!paths.config.empty()) read_config(paths.config, *t);
  t->finalize();
  return Tokenizer(std::move(t));
}

}  // namespace hako::tokenizer
