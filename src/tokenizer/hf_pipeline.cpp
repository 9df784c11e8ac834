// Hugging Face pipeline sections -> normalizer / pre-tokenizer / decoder
// (see hf_pipeline.h).
#include "tokenizer/hf_pipeline.h"

#include <memory>

#include "base/error.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/pre_types.h"
#include "tokenizer/utf8.h"

namespace hako::tokenizer {

namespace {

using nlohmann::json;

[[noreturn]] void unsupported(const std::string& file, const std::string& section, const std::string& what) {
  throw Error(ErrorKind::kUnsupported, file + ": " + section + " " + what + " is not supported");
}

std::string str(const json& j, const char* key, const std::string& fallback = "") {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool flag(const json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

// A Split / Replace "pattern": {"String": s} or {"Regex": r}.
void read_pattern(const json& j, const std::string& file, const std::string& section, std::string& literal,
                  std::shared_ptr<const Regex>& regex) {
  auto it = j.find("pattern");
  if (it == j.end() || !it->is_object()) unsupported(file, section, "without a pattern object");
  if (it->contains("String") && (*it)["String"].is_string()) {
    literal = (*it)["String"].get<std::string>();
  } else if (it->contains("Regex") && (*it)["Regex"].is_string()) {
    regex = std::make_shared<const Regex>(Regex::compile_or_throw((*it)["Regex"].get<std::string>()));
  } else {
    unsupported(file, section, "pattern " + it->dump());
  }
}

SplitBehavior behavior(const json& j, const std::string& file) {
  const std::string b = str(j, "behavior", "Isolated");
  if (b == "Removed") return SplitBehavior::kRemoved;
  if (b == "Isolated") return SplitBehavior::kIsolated;
  if (b == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (b == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (b == "Contiguous") return SplitBehavior::kContiguous;
  unsupported(file, "pre_tokenizer", "split behavior '" + b + "'");
}

void add_unicode(TokenizerImpl& t, NormForm f) {
  NormalizerStep s;
  s.kind = NormalizerKind::kUnicode;
  s.form = f;
  t.normalizer.add(s);
}

}  // namespace

void hf_read_normalizer(const json& j, const std::string& file, TokenizerImpl& t) {
  if (j.is_null()) return;
  const std::string type = str(j, "type");
  NormalizerStep s;
  if (type == "Sequence") {
    for (const json& n : j.value("normalizers", json::array())) hf_read_normalizer(n, file, t);
  } else if (type == "NFC") {
    add_unicode(t, NormForm::kNfc);
  } else if (type == "NFD") {
    add_unicode(t, NormForm::kNfd);
  } else if (type == "NFKC") {
    add_unicode(t, NormForm::kNfkc);
  } else if (type == "NFKD") {
    add_unicode(t, NormForm::kNfkd);
  } else if (type == "Lowercase") {
    s.kind = NormalizerKind::kLowercase;
    t.normalizer.add(s);
  } else if (type == "Strip") {
    s.kind = NormalizerKind::kStrip;
    s.strip_left = flag(j, "strip_left", true);
    s.strip_right = flag(j, "strip_right", true);
    t.normalizer.add(s);
  } else if (type == "StripAccents") {
    s.kind = NormalizerKind::kStripAccents;
    t.normalizer.add(s);
  } else if (type == "Replace") {
    s.kind = NormalizerKind::kReplace;
    read_pattern(j, file, "normalizer Replace", s.pattern, s.regex);
    s.content = str(j, "content");
    t.normalizer.add(s);
  } else if (type == "Prepend") {
    s.kind = NormalizerKind::kPrepend;
    s.content = str(j, "prepend");
    t.normalizer.add(s);
  } else if (type == "BertNormalizer") {
    s.kind = NormalizerKind::kBert;
    s.clean_text = flag(j, "clean_text", true);
    s.handle_chinese_chars = flag(j, "handle_chinese_chars", true);
    s.lowercase = flag(j, "lowercase", true);
    s.strip_accents = flag(j, "strip_accents", s.lowercase);
    t.normalizer.add(s);
  } else {
    unsupported(file, "normalizer", "'" + type + "'");
  }
}

bool hf_read_pretokenizer(const json& j, const std::string& file, TokenizerImpl& t) {
  if (j.is_null()) return false;
  const std::string type = str(j, "type");
  PreTokenizerStep s;
  if (type == "Sequence") {
    bool byte_level = false;
    for (const json& p : j.value("pretokenizers", json::array())) byte_level |= hf_read_pretokenizer(p, file, t);
    return byte_level;
  }
  if (type == "ByteLevel") {
    if (flag(j, "add_prefix_space", true)) {
      s.kind = PreTokenizerKind::kPrefixSpace;
      t.pretokenizer.add(s);
    }
    if (flag(j, "use_regex", true)) {
      PreTokenizerStep re;
      re.kind = PreTokenizerKind::kSplit;
      re.regex = std::make_shared<const Regex>(Regex::compile_or_throw(kGpt2Regex));
      t.pretokenizer.add(re);
    }
    return true;
  }
  if (type == "Split") {
    s.kind = PreTokenizerKind::kSplit;
    read_pattern(j, file, "pre_tokenizer Split", s.literal, s.regex);
    s.behavior = behavior(j, file);
    s.invert = flag(j, "invert", false);
  } else if (type == "Metaspace") {
    s.kind = PreTokenizerKind::kMetaspace;
    s.literal = str(j, "replacement", "\xE2\x96\x81");
    const std::string scheme = str(j, "prepend_scheme", flag(j, "add_prefix_space", true) ? "always" : "never");
    s.prepend = scheme == "first" ? PrependScheme::kFirst : scheme == "never" ? PrependScheme::kNever : PrependScheme::kAlways;
    s.metaspace_split = flag(j, "split", true);
  } else if (type == "Digits") {
    s.kind = PreTokenizerKind::kDigits;
    s.individual_digits = flag(j, "individual_digits", false);
  } else if (type == "Punctuation") {
    s.kind = PreTokenizerKind::kPunctuation;
    s.behavior = behavior(j, file);
  } else if (type == "Whitespace") {
    s.kind = PreTokenizerKind::kWhitespace;
    s.regex = std::make_shared<const Regex>(Regex::compile_or_throw("\\w+|[^\\w\\s]+"));
  } else if (type == "WhitespaceSplit") {
    s.kind = PreTokenizerKind::kWhitespaceSplit;
  } else if (type == "BertPreTokenizer") {
    s.kind = PreTokenizerKind::kBert;
  } else {
    unsupported(file, "pre_tokenizer", "'" + type + "'");
  }
  t.pretokenizer.add(s);
  return false;
}

namespace {

struct DecodeState {
  bool fused = false;
};

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  std::string out;
  size_t pos = 0;
  for (size_t hit = s.find(from); hit != std::string::npos; hit = s.find(from, pos)) {
    out.append(s, pos, hit - pos);
    out += to;
    pos = hit + from.size();
  }
  out.append(s, pos, std::string::npos);
  s.swap(out);
}

bool byte_token(const std::string& s, char& b) {
  if (s.size() != 6 || s.compare(0, 3, "<0x") != 0 || s[5] != '>') return false;
  auto hex = [](char c) { return (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1; };
  int hi = hex(s[3]), lo = hex(s[4]);
  if (hi < 0 || lo < 0) return false;
  b = char(hi * 16 + lo);
  return true;
}

void apply_decoder(const json& j, const std::string& file, TokenizerImpl& t, DecodeState& st) {
  auto& pieces = t.decoder.pieces;
  const std::string type = str(j, "type");
  if (type == "Sequence") {
    for (const json& d : j.value("decoders", json::array())) apply_decoder(d, file, t, st);
  } else if (type == "ByteLevel") {
    std::string bytes;
    for (std::string& p : pieces) {
      bytes.clear();
      if (byte_level_decode(p, bytes)) p.swap(bytes);
    }
  } else if (type == "Replace") {
    std::string literal;
    std::shared_ptr<const Regex> regex;
    read_pattern(j, file, "decoder Replace", literal, regex);
    if (regex) unsupported(file, "decoder", "Replace with a regex pattern");
    const std::string content = str(j, "content");
    for (std::string& p : pieces) replace_all(p, literal, content);
  } else if (type == "ByteFallback") {
    char b;
    for (std::string& p : pieces) {
      if (byte_token(p, b)) p.assign(1, b);
    }
  } else if (type == "Fuse") {
    st.fused = true;
  } else if (type == "Strip") {
    const std::string content = str(j, "content", " ");
    const int start = j.value("start", 0), stop = j.value("stop", 0);
    if (st.fused) {
      if (content == " " && start >= 1) t.decoder.strip_first_space = true;
    } else {
      for (std::string& p : pieces) {
        for (int k = 0; k < start && p.compare(0, content.size(), content) == 0; ++k) p.erase(0, content.size());
        for (int k = 0; k < stop && p.size() >= content.size() &&
                        p.compare(p.size() - content.size(), content.size(), content) == 0; ++k) {
          p.erase(p.size() - content.size());
        }
      }
    }
  } else if (type == "Metaspace") {
    const std::string rep = str(j, "replacement", "\xE2\x96\x81");
    for (std::string& p : pieces) replace_all(p, rep, " ");
    const std::string scheme = str(j, "prepend_scheme", flag(j, "add_prefix_space", true) ? "always" : "never");
    if (scheme != "never") t.decoder.strip_first_space = true;
  } else if (type == "WordPiece") {
    const std::string prefix = str(j, "prefix", "##");
    for (std::string& p : pieces) {
      if (p.compare(0, prefix.size(), prefix) == 0) {
        p.erase(0, prefix.size());
      } else {
        p.insert(0, " ");
      }
    }
    t.decoder.strip_first_space = true;
    t.decoder.cleanup_spaces = flag(j, "cleanup", true);
  } else if (type == "BPEDecoder") {
    const std::string suffix = str(j, "suffix", "</w>");
    for (std::string& p : pieces) replace_all(p, suffix, " ");
  } else {
    unsupported(file, "decoder", "'" + type + "'");
  }
}

}  // namespace

void hf_read_decoder(const json& j, const std::string& file, TokenizerImpl& t) {
  t.decoder.pieces = t.vocab.texts;
  if (j.is_null()) return;
  DecodeState st;
  apply_decoder(j, file, t, st);
}

void hf_read_post_processor(const json& j, TokenizerImpl& t) {
  if (j.is_null() || !j.is_object()) return;
  const std::string type = str(j, "type");
  if (type == "Sequence") {
    for (const json& p : j.value("processors", json::array())) hf_read_post_processor(p, t);
  } else if (type == "TemplateProcessing") {
    const json& single = j.value("single", json::array());
    auto special_id = [&](const json& item) -> int32_t {
      if (!item.is_object() || !item.contains("SpecialToken")) return -1;
      return t.vocab.find(item["SpecialToken"].value("id", std::string()));
    };
    if (single.is_array() && !single.empty()) {
      if (int32_t id = special_id(single.front()); id >= 0) {
        t.ids.bos = id;
        t.add_bos = true;
      }
      if (single.size() > 1) {
        if (int32_t id = special_id(single.back()); id >= 0) {
          t.ids.eos = id;
          t.add_eos = true;
        }
      }
    }
  } else if (type == "BertProcessing" || type == "RobertaProcessing") {
    auto tok = [&](const char* key) -> int32_t {
      auto it = j.find(key);
      if (it == j.end() || !it->is_array() || it->empty() || !(*it)[0].is_string()) return -1;
      return t.vocab.find((*it)[0].get<std::string>());
    };
    t.ids.bos = tok("cls");
    t.ids.eos = tok("sep");
    t.add_bos = t.ids.bos >= 0;
    t.add_eos = t.ids.eos >= 0;
  }
}

}  // namespace hako::tokenizer
