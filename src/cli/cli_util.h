// Small helpers shared by subcommands: parsing id lists, thread defaults.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hako::cli {

// "1,2,3" (spaces allowed) -> ids; throws Error(kInvalidArgument) naming the bad item.
std::vector<int32_t> parse_id_list(const std::string& text, const std::string& flag);
// The default thread count: the cores this process may use.
int default_threads();

}  // namespace hako::cli
