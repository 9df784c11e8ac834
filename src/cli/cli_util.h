// Small helpers shared by subcommands: parsing id lists, thread defaults,
// the model-loading flags.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "hako/model.h"

namespace hako::cli {

// "1,2,3" (spaces allowed) -> ids; throws Error(kInvalidArgument) naming the bad item.
std::vector<int32_t> parse_id_list(const std::string& text, const std::string& flag);
// The default thread count: the cores this process may use.
int default_threads();

// Adds the model-loading flags (--no-repack) of every command that loads a
// model, writing into *opts (which must outlive the parse).
void add_load_flags(CLI::App* cmd, LoadOptions* opts);

}  // namespace hako::cli
