// Readers for the shared tokenizer test data: llama.cpp's .inp/.out vector
// files and tokenizers/expected.jsonl (formats in ../shared/testdata/README.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hako::test {

// The test strings of a .inp file (split on "\n__ggml_vocab_test__\n").
std::vector<std::string> read_vocab_inputs(const std::string& path);
// The expected ids of a .out file, one vector per line.
std::vector<std::vector<int32_t>> read_vocab_outputs(const std::string& path);

struct ExpectedRecord {
  std::string tokenizer;  // folder under tokenizers/
  std::string id;         // corpus string id
  bool parse_special = false;
  std::string text;
  std::vector<int32_t> ids;
  std::string decoded;
  bool roundtrip = false;
};
std::vector<ExpectedRecord> read_expected_jsonl(const std::string& path);

}  // namespace hako::test
