// Helpers shared by subcommands.
#include "cli/cli_util.h"

#include <charconv>

#include "base/cpu_features.h"
#include "base/error.h"

namespace hako::cli {

std::vector<int32_t> parse_id_list(const std::string& text, const std::string& flag) {
  std::vector<int32_t> ids;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && text[j] != ',' && text[j] != ' ') ++j;
    int32_t v = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + j, v);
    if (ec != std::errc() || end != text.data() + j || v < 0)
      throw Error(ErrorKind::kInvalidArgument,
                  flag + ": '" + text.substr(i, j - i) + "' is not a token id (a non-negative integer)");
    ids.push_back(v);
    i = j;
  }
  return ids;
}

int default_threads() { return cpu_features().n_cores; }

void add_load_flags(CLI::App* cmd, LoadOptions* opts) {
  cmd->add_flag_callback(
      "--no-repack", [opts] { opts->layout = WeightLayout::kAsStored; },
      "Keep every weight as stored in the file (faster load; q4_0/q8_0 decode slower on x86)");
}

}  // namespace hako::cli
