// Entry point of the `hako` binary: builds the CLI11 app from the registered
// subcommands, runs the chosen one and maps errors to one line + exit code.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "base/error.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"hako: local LLM inference from GGUF files"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "hako 0.1.0");
  hako::cli::register_version(app);
  hako::cli::register_tokenize(app);
  hako::cli::register_detokenize(app);
  hako::cli::register_inspect(app);
  hako::cli::register_logits(app);
  hako::cli::register_synth(app);
  hako::cli::register_run(app);
  hako::cli::register_bench(app);
  hako::cli::register_chat(app);
  hako::cli::register_template(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const hako::Error& e) {
    std::fprintf(stderr, "hako: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hako: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
