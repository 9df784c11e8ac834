// Readers for the shared tokenizer test data (see conformance_data.h).
#include "conformance_data.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "support/testdata.h"

namespace hako::test {

std::vector<std::string> read_vocab_inputs(const std::string& path) {
  const std::string data = read_file(path);
  const std::string sep = "\n__ggml_vocab_test__\n";
  std::vector<std::string> out;
  size_t pos = 0;
  for (size_t hit = data.find(sep); hit != std::string::npos; hit = data.find(sep, pos)) {
    out.push_back(data.substr(pos, hit - pos));
    pos = hit + sep.size();
  }
  if (pos < data.size()) out.push_back(data.substr(pos));
  return out;
}

std::vector<std::vector<int32_t>> read_vocab_outputs(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<std::vector<int32_t>> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::vector<int32_t> ids;
    long v;
    while (ls >> v) ids.push_back(int32_t(v));
    out.push_back(std::move(ids));
  }
  return out;
}

std::vector<ExpectedRecord> read_expected_jsonl(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<ExpectedRecord> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    ExpectedRecord r;
    r.tokenizer = j.at("tokenizer").get<std::string>();
    r.id = j.at("id").get<std::string>();
    r.parse_special = j.at("parse_special").get<bool>();
    r.text = j.at("text").get<std::string>();
    r.ids = j.at("ids").get<std::vector<int32_t>>();
    r.decoded = j.at("decoded").get<std::string>();
    r.roundtrip = j.at("roundtrip").get<bool>();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace hako::test
