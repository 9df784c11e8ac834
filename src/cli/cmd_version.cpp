// `hako version`: version and the kernels this CPU gets.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/cpu_features.h"
#include "cli/commands.h"

namespace hako::cli {

void register_version(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the version and detected CPU features");
  cmd->callback([] {
    std::printf("hako 0.1.0\ncpu: %s (%d cores)\n", to_string(cpu_features()).c_str(),
                cpu_features().n_cores);
  });
}

}  // namespace hako::cli
