// fuzz_seed_chat_outputs <testdata> <out dir>: writes the seed inputs of
// chat_parse_fuzz (chat_parse_seeds.h) as files chat-*, one per seed, and
// prints how many. tools/fuzz.sh runs it for the "@chat-outputs" seed token.
// Exit status 1 with one line on a missing folder or a write error.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>

#include "chat_parse_seeds.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <testdata> <out dir>\n", argv[0]);
    return 2;
  }
  try {
    const std::filesystem::path out(argv[2]);
    std::filesystem::create_directories(out);
    const auto seeds = hako::fuzz::chat_parse_seeds(argv[1]);
    for (const auto& seed : seeds) {
      std::ofstream f(out / seed.name, std::ios::binary);
      f.write(seed.bytes.data(), std::streamsize(seed.bytes.size()));
      if (!f) throw std::runtime_error("cannot write " + (out / seed.name).string());
    }
    std::printf("%zu\n", seeds.size());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_seed_chat_outputs: %s\n", e.what());
    return 1;
  }
  return 0;
}
