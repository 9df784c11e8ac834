// SAX-based tokenizer.json reader (see hf_json_reader.h).
#include "tokenizer/hf_json_reader.h"

#include <zlib.h>

#include "base/error.h"

namespace hako::tokenizer {

namespace {

using nlohmann::json;

class Sax {
 public:
  Sax(HfJsonDoc& doc, const std::string& file) : doc_(doc), file_(file) {}

  bool null() { return value(json()); }
  bool boolean(bool v) { return value(json(v)); }
  bool number_integer(json::number_integer_t v) {
    if (mode_ == Mode::kVocab) return vocab_id(int64_t(v));
    return value(json(v));
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (mode_ == Mode::kVocab) return vocab_id(v > uint64_t(INT64_MAX) ? -1 : int64_t(v));
    return value(json(v));
  }
  bool number_float(json::number_float_t v, const json::string_t&) {
    if (mode_ == Mode::kVocab) return vocab_id(-1);
    return value(json(v));
  }
  bool string(json::string_t& s) {
    if (mode_ == Mode::kMerges) return merge_string(s);
    if (mode_ == Mode::kMergePair) {
      pair_.push_back(std::move(s));
      return true;
    }
    return value(json(std::move(s)));
  }
  bool binary(json::binary_t&) { return value(json()); }

  bool key(json::string_t& k) {
    key_ = std::move(k);
    return true;
  }

  bool start_object(std::size_t) {
    if (mode_ == Mode::kMerges || mode_ == Mode::kMergePair) return fail("a merge is an object");
    if (in_model_key("vocab")) {
      mode_ = Mode::kVocab;
      doc_.vocab_streamed = true;
      return true;
    }
    if (mode_ == Mode::kVocab) return fail("model.vocab holds a nested object");
    return open(json::object());
  }
  bool end_object() {
    if (mode_ == Mode::kVocab) {
      mode_ = Mode::kDom;
      return true;
    }
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    if (mode_ == Mode::kVocab) return fail("model.vocab holds an array");
    if (mode_ == Mode::kMerges) {
      mode_ = Mode::kMergePair;
      pair_.clear();
      return true;
    }
    if (mode_ == Mode::kMergePair) return fail("a merge pair holds an array");
    if (in_model_key("merges")) {
      mode_ = Mode::kMerges;
      doc_.merges_streamed = true;
      return true;
    }
    return open(json::array());
  }
  bool end_array() {
    if (mode_ == Mode::kMergePair) {
      if (pair_.size() != 2) return fail("a merge pair does not have 2 strings");
      doc_.merges.emplace_back(std::move(pair_[0]), std::move(pair_[1]));
      mode_ = Mode::kMerges;
      return true;
    }
    if (mode_ == Mode::kMerges) {
      mode_ = Mode::kDom;
      return true;
    }
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& e) {
    throw Error(ErrorKind::kFormat, file_ + ": not valid JSON at byte " + std::to_string(pos) + ": " + e.what());
  }

 private:
  enum class Mode { kDom, kVocab, kMerges, kMergePair };

  // True when the value about to start is root["model"][name].
  bool in_model_key(const char* name) const {
    return mode_ == Mode::kDom && model_ != nullptr && !stack_.empty() && stack_.back() == model_ && key_ == name;
  }
  bool fail(const std::string& what) {
    throw Error(ErrorKind::kFormat, file_ + ": " + what);
  }
  bool vocab_id(int64_t id) {
    if (id < 0 || id > (int64_t(1) << 30)) return fail("model.vocab['" + key_ + "'] is not an id in 0..2^30");
    doc_.vocab.emplace_back(std::move(key_), id);
    return true;
  }
  bool merge_string(const std::string& s) {
    size_t sp = s.find(' ');
    if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos) {
      return fail("merge '" + s + "' is not two tokens separated by one space");
    }
    doc_.merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
    return true;
  }
  json* attach(json&& v) {
    if (stack_.empty()) {
      doc_.root = std::move(v);
      return &doc_.root;
    }
    json* parent = stack_.back();
    if (parent->is_object()) {
      json& slot = (*parent)[key_];
      slot = std::move(v);
      return &slot;
    }
    parent->push_back(std::move(v));
    return &parent->back();
  }
  bool value(json&& v) {
    attach(std::move(v));
    return true;
  }
  bool open(json&& container) {
    const bool is_model = stack_.size() == 1 && key_ == "model";
    json* p = attach(std::move(container));
    stack_.push_back(p);
    if (is_model) model_ = p;
    return true;
  }

  HfJsonDoc& doc_;
  const std::string& file_;
  std::vector<json*> stack_;
  std::string key_;
  std::vector<std::string> pair_;
  Mode mode_ = Mode::kDom;
  json* model_ = nullptr;  // root["model"] once opened
};

}  // namespace

HfJsonDoc parse_hf_tokenizer_json(const std::string& text, const std::string& file) {
  HfJsonDoc doc;
  Sax sax(doc, file);
  json::sax_parse(text, &sax);
  return doc;
}

std::string read_maybe_gz(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw Error(ErrorKind::kIo, path + ": cannot open");
  gzbuffer(f, 1 << 20);
  std::string out;
  std::string chunk(1 << 20, '\0');
  for (;;) {
    int n = gzread(f, chunk.data(), unsigned(chunk.size()));
    if (n < 0) {
      int err = 0;
      std::string msg = gzerror(f, &err);
      gzclose(f);
      throw Error(ErrorKind::kFormat, path + ": cannot read: " + msg);
    }
    if (n == 0) break;
    out.append(chunk.data(), size_t(n));
  }
  gzclose(f);
  return out;
}

}  // namespace hako::tokenizer
