// Reference-folder reading and logits comparison (see reference_folder.h).
#include "reference_folder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "support/testdata.h"

namespace hako::test {
namespace {

std::vector<float> read_f32(const std::string& path) {
  const std::string bytes = read_file(path);
  std::vector<float> v(bytes.size() / sizeof(float));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(float));
  return v;
}

std::vector<int32_t> ids_of(const nlohmann::json& j) { return j.at("ids").get<std::vector<int32_t>>(); }

size_t argmax(std::span<const float> row) {
  return static_cast<size_t>(std::max_element(row.begin(), row.end()) - row.begin());
}

}  // namespace

ReferenceFolder load_reference(const std::string& name) {
  const std::string dir = testdata_path("reference/" + name);
  ReferenceFolder f;
  f.name = name;
  f.model_path = dir + "/model.gguf";
  f.prompt = ids_of(nlohmann::json::parse(read_file(dir + "/prompt.json")));
  f.greedy = ids_of(nlohmann::json::parse(read_file(dir + "/greedy.json")));
  f.n_vocab = nlohmann::json::parse(read_file(dir + "/meta.json")).at("n_vocab").get<int32_t>();
  f.logits = read_f32(dir + "/logits.f32");
  f.step_logits = read_f32(dir + "/step_logits.f32");
  if (f.logits.size() != f.prompt.size() * static_cast<size_t>(f.n_vocab) ||
      f.step_logits.size() != f.greedy.size() * static_cast<size_t>(f.n_vocab)) {
    throw std::runtime_error(name + ": logits files do not match the ids and n_vocab");
  }
  return f;
}

LogitsDiff compare_logits(std::span<const float> ours, std::span<const float> ref, int32_t n_vocab) {
  if (ours.size() != ref.size() || ours.empty()) throw std::runtime_error("compare_logits: sizes differ");
  std::vector<double> diffs(ours.size());
  for (size_t i = 0; i < ours.size(); ++i) diffs[i] = std::fabs(double{ours[i]} - double{ref[i]});
  LogitsDiff d;
  d.max_abs = *std::max_element(diffs.begin(), diffs.end());
  std::nth_element(diffs.begin(), diffs.begin() + diffs.size() / 2, diffs.end());
  d.median_abs = diffs[diffs.size() / 2];
  const size_t nv = static_cast<size_t>(n_vocab), rows = ours.size() / nv;
  size_t agree = 0;
  for (size_t r = 0; r < rows; ++r) {
    agree += argmax(ours.subspan(r * nv, nv)) == argmax(ref.subspan(r * nv, nv));
  }
  d.top1 = static_cast<double>(agree) / static_cast<double>(rows);
  return d;
}

}  // namespace hako::test
