// Tokenizer benchmark: single-thread encode speed (MB/s of UTF-8 input) on
// English, Japanese and mixed text with the qwen3 and gemma3 tokenizers (and
// any other tokenizer given), and load time of the vocabularies (tokenizer.json
// and a GGUF written from the same vocabulary). Prints a markdown report.
//
// Corpus: real text from files given with --en / --ja (defaults: the vim
// tutor and GPL-3 for English, the Japanese vim tutor and GnuPG help for
// Japanese when present, plus the corpus strings of expected.jsonl), joined
// paragraph by paragraph and repeated up to --bytes (default 1 MiB). The
// "unique" rows encode each source once, without repetition, to show what
// the word cache contributes.
//
// Usage: bench_tokenizer [--testdata DIR] [--bytes N] [--reps N] [--en FILE]... [--ja FILE]...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <ctime>

#include <nlohmann/json.hpp>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "tokenizer/hf_json_reader.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace {

using hako::tokenizer::Tokenizer;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> paragraphs(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find("\n\n", pos);
    if (end == std::string::npos) end = text.size();
    std::string p = text.substr(pos, end - pos);
    if (!p.empty()) out.push_back(p + "\n\n");
    pos = end + 2;
  }
  return out;
}

std::string repeat_to(const std::vector<std::string>& paras, size_t bytes) {
  std::string out;
  while (out.size() < bytes && !paras.empty()) {
    for (const auto& p : paras) {
      if (out.size() >= bytes) break;
      out += p;
    }
  }
  return out;
}

std::string interleave_to(const std::vector<std::string>& a, const std::vector<std::string>& b, size_t bytes) {
  std::string out;
  size_t i = 0;
  while (out.size() < bytes) {
    out += a[i % a.size()];
    if (out.size() < bytes) out += b[i % b.size()];
    ++i;
  }
  return out;
}

struct Corpus {
  std::string name;
  std::string text;
};

double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

struct Speed {
  double wall_mbps = 0;  // best wall-clock run
  double cpu_mbps = 0;   // best thread-CPU-time run (robust to a busy machine)
};

// Best of `reps` runs, in MB/s (1 MB = 1e6 bytes). Each run encodes in a new
// thread, so the per-thread word cache starts empty: the numbers are those
// of text the tokenizer has not seen before.
Speed encode_speed(const Tokenizer& tok, const std::string& text, int reps, size_t& n_tokens) {
  double best_wall = 1e30, best_cpu = 1e30;
  for (int r = 0; r < reps; ++r) {
    std::thread th([&] {
      const double c0 = thread_cpu_seconds();
      auto t0 = Clock::now();
      auto ids = tok.encode(text);
      best_wall = std::min(best_wall, seconds_since(t0));
      best_cpu = std::min(best_cpu, thread_cpu_seconds() - c0);
      n_tokens = ids.size();
    });
    th.join();
  }
  return {double(text.size()) / best_wall / 1e6, double(text.size()) / best_cpu / 1e6};
}

// Writes the byte-level BPE vocabulary of a tokenizer.json as a GGUF file
// (tokenizer.ggml.model = gpt2) so that GGUF loading can be timed.
void write_gguf_from_json(const std::string& json_path, const Tokenizer& tok, const std::string& pre,
                          const std::string& out) {
  auto doc = hako::tokenizer::parse_hf_tokenizer_json(hako::tokenizer::read_maybe_gz(json_path), json_path);
  std::vector<std::string> tokens(size_t(tok.n_vocab()));
  std::vector<int32_t> types(tokens.size());
  for (int32_t id = 0; id < tok.n_vocab(); ++id) {
    tokens[size_t(id)] = std::string(tok.token_text(id));
    types[size_t(id)] = int32_t(tok.impl().vocab.attrs[size_t(id)]);
  }
  std::vector<std::string> merges;
  merges.reserve(doc.merges.size());
  for (auto& [a, b] : doc.merges) merges.push_back(a + " " + b);
  hako::gguf::GgufWriter w;
  w.set_string("general.architecture", "qwen3");
  w.set_string("tokenizer.ggml.model", "gpt2");
  w.set_string("tokenizer.ggml.pre", pre);
  w.set_string_array("tokenizer.ggml.tokens", tokens);
  w.set_i32_array("tokenizer.ggml.token_type", types);
  w.set_string_array("tokenizer.ggml.merges", merges);
  w.write_or_throw(out);
}

struct Args {
  std::string testdata = "../shared/testdata";
  size_t bytes = 1 << 20;
  int reps = 5;
  std::vector<std::string> en_files, ja_files;
};

Args parse_args(int argc, char** argv) {
  Args a;
  if (const char* env = std::getenv("HAKO_TESTDATA")) a.testdata = env;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--testdata") a.testdata = argv[i + 1];
    else if (k == "--bytes") a.bytes = std::stoul(argv[i + 1]);
    else if (k == "--reps") a.reps = std::stoi(argv[i + 1]);
    else if (k == "--en") a.en_files.push_back(argv[i + 1]);
    else if (k == "--ja") a.ja_files.push_back(argv[i + 1]);
  }
  auto existing = [](std::vector<std::string> v) {
    std::vector<std::string> out;
    for (auto& f : v) {
      if (std::filesystem::exists(f)) out.push_back(f);
    }
    return out;
  };
  if (a.en_files.empty()) a.en_files = existing({"/usr/share/vim/vim90/tutor/tutor", "/usr/share/common-licenses/GPL-3"});
  if (a.ja_files.empty()) {
    a.ja_files = existing({"/usr/share/vim/vim90/tutor/tutor.ja.utf-8", "/usr/share/gnupg/help.ja.txt"});
  }
  return a;
}

std::vector<Corpus> build_corpora(const Args& a) {
  std::string en_src, ja_src;
  for (auto& f : a.en_files) en_src += read_file(f) + "\n\n";
  for (auto& f : a.ja_files) ja_src += read_file(f) + "\n\n";
  std::ifstream in(a.testdata + "/tokenizers/expected.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["tokenizer"] != "qwen3" || j["parse_special"].get<bool>()) continue;
    const std::string cat = j["category"];
    if (cat == "english") en_src += j["text"].get<std::string>() + "\n\n";
    if (cat == "japanese") ja_src += j["text"].get<std::string>() + "\n\n";
  }
  const auto en_p = paragraphs(en_src), ja_p = paragraphs(ja_src);
  const std::string n = std::to_string(a.bytes);
  return {
      {"english (" + n + " B)", repeat_to(en_p, a.bytes)},
      {"japanese (" + n + " B)", repeat_to(ja_p, a.bytes)},
      {"mixed ja/en (" + n + " B)", interleave_to(ja_p, en_p, a.bytes)},
      {"english unique (" + std::to_string(en_src.size()) + " B)", en_src},
      {"japanese unique (" + std::to_string(ja_src.size()) + " B)", ja_src},
  };
}

template <class Load>
double best_load_ms(Load&& load) {
  double best = 1e30;
  for (int r = 0; r < 3; ++r) {
    const double c0 = thread_cpu_seconds();
    load();
    best = std::min(best, thread_cpu_seconds() - c0);
  }
  return best * 1e3;
}

std::vector<std::pair<std::string, Tokenizer>> report_load(const Args& a) {
  std::printf("## Load time (thread CPU, best of 3)\n\n| tokenizer | n_vocab | load ms |\n|---|---:|---:|\n");
  std::vector<std::pair<std::string, Tokenizer>> toks;
  for (const char* name : {"qwen3", "gemma3"}) {
    const std::string path = a.testdata + "/tokenizers/" + name;
    const double ms = best_load_ms([&] { (void)Tokenizer::from_hf_json(path); });
    toks.emplace_back(name, Tokenizer::from_hf_json(path));
    std::printf("| %s tokenizer.json.gz | %d | %.1f |\n", name, toks.back().second.n_vocab(), ms);
  }
  const std::string gguf_path = (std::filesystem::temp_directory_path() / "hako_bench_qwen3_vocab.gguf").string();
  write_gguf_from_json(a.testdata + "/tokenizers/qwen3/tokenizer.json.gz", toks[0].second, "qwen2", gguf_path);
  const double gguf_ms = best_load_ms([&] { (void)Tokenizer::from_gguf_path(gguf_path); });
  std::printf("| qwen3 vocabulary as GGUF (gpt2/qwen2, written by this bench) | %d | %.1f |\n",
              toks[0].second.n_vocab(), gguf_ms);
  std::filesystem::remove(gguf_path);
  const std::string ds = a.testdata + "/vocab/ggml-vocab-deepseek-llm.gguf";
  std::printf("| vocab/ggml-vocab-deepseek-llm.gguf | 102400 | %.1f |\n",
              best_load_ms([&] { (void)Tokenizer::from_gguf_path(ds); }));
  return toks;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse_args(argc, argv);
  const std::vector<Corpus> corpora = build_corpora(a);
  std::printf("## Sources\n\nEnglish:");
  for (auto& f : a.en_files) std::printf(" `%s`", f.c_str());
  std::printf(" + expected.jsonl english\n\nJapanese:");
  for (auto& f : a.ja_files) std::printf(" `%s`", f.c_str());
  std::printf(" + expected.jsonl japanese\n\n");
  auto toks = report_load(a);
  std::printf("\n## Encode, single thread, cold word cache (best of %d)\n\n"
              "| tokenizer | text | MB/s (wall) | MB/s (thread CPU) | tokens | bytes/token |\n"
              "|---|---|---:|---:|---:|---:|\n", a.reps);
  for (auto& [name, tok] : toks) {
    (void)tok.encode("warm up: one-time tables (NFC) and regex JIT");
    for (const Corpus& c : corpora) {
      size_t n_tok = 0;
      const Speed sp = encode_speed(tok, c.text, a.reps, n_tok);
      std::printf("| %s | %s | %.1f | %.1f | %zu | %.2f |\n", name.c_str(), c.name.c_str(), sp.wall_mbps,
                  sp.cpu_mbps, n_tok, double(c.text.size()) / double(std::max<size_t>(n_tok, 1)));
    }
  }
  return 0;
}
