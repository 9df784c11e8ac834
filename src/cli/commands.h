// The `hako` subcommands. Each lives in its own cmd_<name>.cpp and registers
// itself on the CLI11 app; main.cpp calls every register_* below.
// A subcommand's callback throws hako::Error on bad input; main() turns it
// into one line on stderr and exit status 1.
#pragma once

namespace CLI {
class App;
}

namespace hako::cli {

void register_version(CLI::App& app);
void register_tokenize(CLI::App& app);
void register_detokenize(CLI::App& app);
void register_inspect(CLI::App& app);
void register_logits(CLI::App& app);
void register_synth(CLI::App& app);
void register_run(CLI::App& app);
void register_bench(CLI::App& app);
void register_chat(CLI::App& app);
void register_template(CLI::App& app);

}  // namespace hako::cli
