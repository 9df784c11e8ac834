// `hako chat`: an interactive terminal chat with the model's own template.
// Streams the reply, thinking shown dim (or hidden), commands start with '/'.
// Ctrl-C stops the current answer (not the program); Ctrl-D or /exit quits.
// Multi-line input: end a line with '\' to continue it, or wrap a block in """.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "base/error.h"
#include "chat/parse/family.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "gguf/gguf_file.h"
#include "hako/context.h"
#include "hako/model.h"
#include "runtime/chat_session.h"
#include "tokenizer/tokenizer.h"

namespace hako::cli {
namespace {

std::atomic<bool> g_interrupt{false};
std::atomic<bool> g_generating{false};

extern "C" void on_sigint(int) {
  if (g_generating.load()) {
    g_interrupt.store(true);
  } else {
    const char msg[] = "\n(Ctrl-D or /exit to quit)\n> ";
    (void)!write(STDOUT_FILENO, msg, sizeof(msg) - 1);
  }
}

struct ChatArgs {
  std::string model;
  LoadOptions load;
  std::string system;
  std::string chat_template_file;
  int32_t n_ctx = 8192;
  int n_threads = 0;
  bool hide_thinking = false;
  bool no_think = false;
  int32_t budget = -1;
  ChatOptions chat;
};

struct Style {
  bool tty;
  const char* dim() const { return tty ? "\x1b[2m" : ""; }
  const char* reset() const { return tty ? "\x1b[0m" : ""; }
};

// Reads one user turn; false on end of input.
bool read_turn(std::string& out) {
  out.clear();
  std::string line;
  bool block = false;
  while (std::getline(std::cin, line)) {
    if (line == "\"\"\"") {
      if (block) return true;
      block = true;
      continue;
    }
    if (block) {
      out += line + "\n";
      continue;
    }
    if (!line.empty() && line.back() == '\\') {
      out += line.substr(0, line.size() - 1) + "\n";
      continue;
    }
    out += line;
    return true;
  }
  return !out.empty();
}

// Handles a /command; false when the program should exit.
bool handle_command(const std::string& cmd, ChatSession& chat, ChatArgs& a, const Style& st) {
  auto arg = [&](size_t n) { return cmd.size() > n ? cmd.substr(n) : std::string(); };
  if (cmd == "/exit" || cmd == "/quit") return false;
  if (cmd == "/reset") {
    chat.reset();
    std::printf("%s(conversation cleared)%s\n", st.dim(), st.reset());
  } else if (cmd == "/think on" || cmd == "/think off") {
    chat.set_thinking(cmd == "/think on" ? Thinking::kOn : Thinking::kOff);
    std::printf("%s(thinking %s)%s\n", st.dim(), cmd == "/think on" ? "on" : "off", st.reset());
  } else if (cmd.rfind("/budget ", 0) == 0) {
    const int32_t n = std::atoi(arg(8).c_str());
    chat.set_thinking_budget(n);
    std::printf("%s(thinking budget %d tokens%s)%s\n", st.dim(), n, n < 0 ? ": unlimited" : "", st.reset());
  } else if (cmd.rfind("/system", 0) == 0) {
    chat.set_system(arg(8));
    std::printf("%s(system message %s)%s\n", st.dim(), arg(8).empty() ? "removed" : "set", st.reset());
  } else if (cmd.rfind("/save ", 0) == 0) {
    std::ofstream f(arg(6));
    if (!f) {
      std::printf("cannot write '%s'\n", arg(6).c_str());
    } else {
      f << chat.messages().dump(2) << "\n";
      std::printf("%s(saved %zu messages to %s)%s\n", st.dim(), chat.messages().size(), arg(6).c_str(), st.reset());
    }
  } else {
    std::printf("commands: /reset  /think on|off  /budget N  /system TEXT  /save FILE  /exit\n");
  }
  return true;
}

void chat_loop(ChatArgs& a) {
  Model model = Model::load(a.model, a.load);
  const gguf::GgufFile file = gguf::GgufFile::open_or_throw(a.model);
  const tokenizer::Tokenizer tok = tokenizer::Tokenizer::from_gguf(file);
  std::string tmpl;
  if (!a.chat_template_file.empty()) {
    std::ifstream f(a.chat_template_file);
    if (!f) throw Error(ErrorKind::kIo, "cannot read --chat-template-file '" + a.chat_template_file + "'");
    tmpl.assign(std::istreambuf_iterator<char>(f), {});
  } else {
    const auto t = file.get_string("tokenizer.chat_template");
    if (!t) throw Error(ErrorKind::kFormat, a.model + ": no tokenizer.chat_template (give --chat-template-file)");
    tmpl = std::string(*t);
  }
  Context ctx(model, {.n_ctx = a.n_ctx, .n_threads = a.n_threads > 0 ? a.n_threads : default_threads()});
  if (a.no_think) a.chat.thinking = Thinking::kOff;
  a.chat.thinking_budget = a.budget;
  ChatSession chat(ctx, tok, tmpl, a.chat);
  chat.set_system(a.system);
  const Style st{isatty(STDOUT_FILENO) != 0};
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  std::printf("%shako chat: %s (%s), output format %s. /help for commands, Ctrl-C stops an answer.%s\n",
              st.dim(), a.model.c_str(), std::string(model.architecture()).c_str(),
              std::string(chat::to_string(chat.family())).c_str(), st.reset());
  std::string input;
  for (;;) {
    std::printf("> ");
    std::fflush(stdout);
    if (!read_turn(input)) break;
    if (input.empty()) continue;
    if (input[0] == '/') {
      if (!handle_command(input, chat, a, st)) break;
      continue;
    }
    g_interrupt = false;
    g_generating = true;
    bool in_reasoning = false;
    ReplyStats rs;
    try {
      rs = chat.reply(input, [&](const chat::ChatEvent& e) {
        if (e.kind == chat::EventKind::kReasoning) {
          if (a.hide_thinking) return;
          if (!in_reasoning) std::fputs(st.dim(), stdout);
          in_reasoning = true;
          std::fputs(e.text.c_str(), stdout);
        } else if (e.kind == chat::EventKind::kContent || e.kind == chat::EventKind::kToolCall) {
          if (in_reasoning) std::printf("%s\n", st.reset());
          in_reasoning = false;
          if (e.kind == chat::EventKind::kContent) std::fputs(e.text.c_str(), stdout);
          else std::printf("[tool call %s: %s]", e.tool_call.name.c_str(), e.tool_call.arguments.dump().c_str());
        }
        std::fflush(stdout);
      }, &g_interrupt);
    } catch (const Error& e) {
      g_generating = false;
      std::printf("%s\nerror: %s\n", st.reset(), e.what());
      continue;
    }
    g_generating = false;
    const double tps = rs.gen.gen_seconds > 0 ? rs.gen.n_gen / rs.gen.gen_seconds : 0;
    std::printf("%s\n%s[prompt: %d reused, %d evaluated | %d tokens, %.1f tok/s%s%s]%s\n", st.reset(),
                st.dim(), rs.gen.n_prompt_reused, rs.gen.n_prompt_eval, rs.gen.n_gen, tps,
                rs.budget_closed ? " | thinking budget reached" : "", rs.interrupted ? " | stopped" : "",
                st.reset());
  }
  std::printf("\n");
}

}  // namespace

void register_chat(CLI::App& app) {
  auto a = std::make_shared<ChatArgs>();
  auto* cmd = app.add_subcommand("chat", "Interactive chat in the terminal with the model's chat template");
  cmd->add_option("-m,--model", a->model, "GGUF model file")->required();
  add_load_flags(cmd, &a->load);
  cmd->add_option("--system", a->system, "System message");
  cmd->add_option("--chat-template-file", a->chat_template_file, "Jinja template instead of the model's");
  cmd->add_option("--chat-format", a->chat.chat_format, "Output format (think, harmony, gemma4, ...; default: detect)");
  cmd->add_option("-c,--ctx-size", a->n_ctx, "Context size in tokens")->capture_default_str();
  cmd->add_option("-t,--threads", a->n_threads, "Threads (default: all cores)");
  cmd->add_option("-n,--n-predict", a->chat.n_predict, "Most tokens per answer (-1: until end of turn)")->capture_default_str();
  cmd->add_flag("--hide-thinking", a->hide_thinking, "Do not print the model's reasoning");
  cmd->add_flag("--no-think", a->no_think, "Ask the model to answer without thinking");
  cmd->add_option("--thinking-budget", a->budget, "Most reasoning tokens per answer (-1: unlimited)")->capture_default_str();
  cmd->add_option("--temp", a->chat.sampling.temperature, "Temperature (0: greedy)")->capture_default_str();
  cmd->add_option("--top-k", a->chat.sampling.top_k, "Top-k (0: off)")->capture_default_str();
  cmd->add_option("--top-p", a->chat.sampling.top_p, "Top-p (1: off)")->capture_default_str();
  cmd->add_option("--min-p", a->chat.sampling.min_p, "Min-p (0: off)")->capture_default_str();
  cmd->add_option("--repeat-penalty", a->chat.sampling.repeat_penalty, "Repetition penalty (1: off)")->capture_default_str();
  cmd->add_option("-s,--seed", a->chat.sampling.seed, "Random seed")->capture_default_str();
  cmd->callback([a] { chat_loop(*a); });
}

}  // namespace hako::cli
