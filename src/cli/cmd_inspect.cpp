// `hako inspect FILE [--json]`: prints what a GGUF file holds — header facts,
// every metadata key (long arrays summarized), the tensor table, totals by
// type, the parameter count and the file size — as text or as one JSON
// object. It only reads the file (through GgufFile, so a corrupt file gives
// one error line and exit status 1); it does not load or run the model.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cinttypes>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "gguf/gguf_file.h"

namespace hako::cli {
namespace {

using gguf::GgufFile;
using gguf::TensorInfo;
using gguf::Value;
using gguf::ValueType;

using Json = nlohmann::ordered_json;  // keeps the file's key order

constexpr uint64_t kJsonArrayHead = 16;  // JSON arrays longer than this are summarized

struct TypeTotal {
  uint64_t n_tensors = 0;
  uint64_t n_elements = 0;
  uint64_t n_bytes = 0;
};

struct Totals {
  std::map<std::string_view, TypeTotal> by_type;  // sorted by type name
  uint64_t n_elements = 0;
  uint64_t n_bytes = 0;
};

Totals compute_totals(const GgufFile& f) {
  Totals t;
  for (const TensorInfo& ti : f.tensors()) {
    TypeTotal& tt = t.by_type[to_string(ti.type)];
    const auto n = static_cast<uint64_t>(ti.n_elements());
    tt.n_tensors += 1;
    tt.n_elements += n;
    tt.n_bytes += ti.n_bytes;
    t.n_elements += n;
    t.n_bytes += ti.n_bytes;
  }
  return t;
}

std::string human_bytes(uint64_t n) {
  char buf[32];
  if (n < 1024) {
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B", n);
  } else if (n < (uint64_t{1} << 20)) {
    std::snprintf(buf, sizeof buf, "%.2f KiB", static_cast<double>(n) / 1024.0);
  } else if (n < (uint64_t{1} << 30)) {
    std::snprintf(buf, sizeof buf, "%.2f MiB", static_cast<double>(n) / (1024.0 * 1024.0));
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(n) / (1024.0 * 1024.0 * 1024.0));
  }
  return buf;
}

std::string human_count(uint64_t n) {
  char buf[32];
  if (n >= 1000000000) {
    std::snprintf(buf, sizeof buf, "%.2f B", static_cast<double>(n) / 1e9);
  } else if (n >= 1000000) {
    std::snprintf(buf, sizeof buf, "%.2f M", static_cast<double>(n) / 1e6);
  } else if (n >= 1000) {
    std::snprintf(buf, sizeof buf, "%.2f K", static_cast<double>(n) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%" PRIu64, n);
  }
  return buf;
}

std::string shape_text(const TensorInfo& t) {
  std::string s = "[";
  for (int d = 0; d < t.n_dims; ++d) {
    if (d) s += ", ";
    s += std::to_string(t.ne[d]);
  }
  return s + "]";
}

std::string type_text(const Value& v) {
  if (v.type() != ValueType::kArray) return std::string(to_string(v.type()));
  return "[" + std::string(to_string(v.array_type())) + "]";
}

void print_text(const GgufFile& f) {
  std::printf("file          %s\n", f.path().c_str());
  std::printf("size          %zu bytes (%s)\n", f.file_size(), human_bytes(f.file_size()).c_str());
  std::printf("format        GGUF v%u, alignment %" PRIu64 ", data at offset %" PRIu64 "\n",
              f.version(), f.alignment(), f.data_offset());
  std::printf("\nmetadata (%zu keys)\n", f.metadata().size());
  size_t key_w = 0;
  for (const auto& [k, v] : f.metadata()) key_w = std::max(key_w, k.size());
  for (const auto& [k, v] : f.metadata()) {
    const std::string key = gguf::quote_for_display(k, 200);
    std::printf("  %-*s  %-9s %s\n", static_cast<int>(key_w), key.substr(1, key.size() - 2).c_str(),
                type_text(v).c_str(), v.summarize(8).c_str());
  }
  std::printf("\ntensors (%zu)\n", f.tensors().size());
  size_t name_w = 4;
  for (const TensorInfo& t : f.tensors()) name_w = std::max(name_w, t.name.size());
  std::printf("  %-*s  %-8s %-24s %14s\n", static_cast<int>(name_w), "name", "type", "shape", "bytes");
  for (const TensorInfo& t : f.tensors()) {
    const std::string name = gguf::quote_for_display(t.name, 200);
    std::printf("  %-*s  %-8s %-24s %14" PRIu64 "\n", static_cast<int>(name_w),
                name.substr(1, name.size() - 2).c_str(), std::string(to_string(t.type)).c_str(),
                shape_text(t).c_str(), t.n_bytes);
  }
  const Totals tot = compute_totals(f);
  std::printf("\nby type\n");
  for (const auto& [name, tt] : tot.by_type) {
    std::printf("  %-8s %6" PRIu64 " tensors  %12s params  %12s\n", std::string(name).c_str(),
                tt.n_tensors, human_count(tt.n_elements).c_str(), human_bytes(tt.n_bytes).c_str());
  }
  std::printf("\nparameters    %s (%" PRIu64 ")\n", human_count(tot.n_elements).c_str(), tot.n_elements);
  std::printf("tensor data   %s (%" PRIu64 " bytes, %.2f bits per parameter)\n",
              human_bytes(tot.n_bytes).c_str(), tot.n_bytes,
              tot.n_elements ? 8.0 * static_cast<double>(tot.n_bytes) / static_cast<double>(tot.n_elements) : 0.0);
}

// An f32 as the double nearest its shortest decimal form (1e-06, not 9.99999997e-07).
double f32_json(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
  return std::strtod(std::string(buf, r.ptr).c_str(), nullptr);
}

Json scalar_json(const Value& v) {
  switch (v.type()) {
    case ValueType::kString: return std::string(*v.to_string());
    case ValueType::kBool: return *v.to_bool();
    case ValueType::kF32: return f32_json(*v.to_float());
    case ValueType::kF64: return *v.to_float();
    default:
      if (const auto i = v.to_int()) return *i;
      return *v.to_uint();
  }
}

Json element_json(const Value& a, uint64_t i);

// Arrays of up to kJsonArrayHead elements become JSON arrays; longer ones
// {"array_type", "count", "head": [first kJsonArrayHead]}.
Json value_json(const Value& v) {
  if (v.type() != ValueType::kArray) return scalar_json(v);
  Json items = Json::array();
  const uint64_t n = std::min<uint64_t>(v.array_size(), kJsonArrayHead);
  for (uint64_t i = 0; i < n; ++i) items.push_back(element_json(v, i));
  if (v.array_size() <= kJsonArrayHead) return items;
  return {{"array_type", std::string(to_string(v.array_type()))},
          {"count", v.array_size()},
          {"head", std::move(items)}};
}

Json element_json(const Value& a, uint64_t i) {
  switch (a.array_type()) {
    case ValueType::kString: return std::string(a.string_at(i));
    case ValueType::kArray: return value_json(a.array_at(i));
    case ValueType::kF32: return f32_json(a.float_at(i));
    case ValueType::kF64: return a.float_at(i);
    case ValueType::kBool: return a.int_at(i) != 0;
    case ValueType::kU64: return a.uint_at(i);
    default: return a.int_at(i);
  }
}

void print_json(const GgufFile& f) {
  Json j;
  j["path"] = f.path();
  j["file_size"] = f.file_size();
  j["version"] = f.version();
  j["alignment"] = f.alignment();
  j["data_offset"] = f.data_offset();
  Json meta = Json::object();
  for (const auto& [k, v] : f.metadata()) meta[std::string(k)] = value_json(v);
  j["metadata"] = std::move(meta);
  Json tensors = Json::array();
  for (const TensorInfo& t : f.tensors()) {
    tensors.push_back({{"name", std::string(t.name)},
                       {"type", std::string(to_string(t.type))},
                       {"shape", std::vector<int64_t>(t.ne.begin(), t.ne.begin() + t.n_dims)},
                       {"offset", t.offset},
                       {"bytes", t.n_bytes}});
  }
  j["tensors"] = std::move(tensors);
  const Totals tot = compute_totals(f);
  Json by_type = Json::object();
  for (const auto& [name, tt] : tot.by_type) {
    by_type[std::string(name)] = {
        {"tensors", tt.n_tensors}, {"params", tt.n_elements}, {"bytes", tt.n_bytes}};
  }
  j["by_type"] = std::move(by_type);
  j["n_params"] = tot.n_elements;
  j["tensor_bytes"] = tot.n_bytes;
  // Strings from the file need not be UTF-8: replace bad bytes rather than fail.
  std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str());
}

}  // namespace

void register_inspect(CLI::App& app) {
  auto* cmd = app.add_subcommand("inspect", "Show a GGUF file's metadata, tensors and sizes");
  struct Options {
    std::string path;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("file", opt->path, "GGUF file")->required();
  cmd->add_flag("--json", opt->json, "Print one JSON object instead of text");
  cmd->callback([opt] {
    const GgufFile f = GgufFile::open_or_throw(opt->path);
    if (opt->json) {
      print_json(f);
    } else {
      print_text(f);
    }
  });
}

}  // namespace hako::cli
