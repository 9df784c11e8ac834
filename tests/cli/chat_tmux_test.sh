#!/usr/bin/env bash
# Drives `hako chat` in a real terminal (tmux): a turn with a thinking budget,
# prefix reuse on the second turn, Ctrl-C stopping an answer without ending
# the program, multi-line input, /think off, /save, and Ctrl-D quitting.
# Usage: chat_tmux_test.sh HAKO_BINARY TESTDATA_DIR
set -euo pipefail
hako=$1; td=$2
command -v tmux >/dev/null || { echo "tmux not installed: skipping"; exit 0; }
work=$(mktemp -d); sock="$work/tmux.sock"
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
t() { tmux -S "$sock" "$@"; }
pane() { t capture-pane -p -t chat -S -200 2>/dev/null || true; }
# wait_for REGEX [SECONDS]: until the pane shows REGEX
wait_for() {
  local deadline=$((SECONDS + ${2:-30}))
  until pane | grep -qE -- "$1"; do
    if [ $SECONDS -ge $deadline ]; then echo "FAIL: timed out waiting for /$1/"; pane; exit 1; fi
    sleep 0.2
  done
}
count() { pane | grep -cE -- "$1" || true; }

t new-session -d -s chat -x 200 -y 50 \
  "$hako chat -m $td/reference/qwen3/model.gguf --chat-template-file $td/templates/Qwen3.5-4B.jinja \
   -c 2048 -t 1 --temp 0 -n 40 --thinking-budget 5; echo CHAT-EXITED \$?; sleep 30"
wait_for 'hako chat:'
# 1. The Qwen3.5 template opens <think>: the budget must close it after 5 tokens.
t send-keys -t chat "Hello there" Enter
wait_for 'thinking budget reached'
wait_for '0 reused, [0-9]+ evaluated'
# 2. A second turn re-evaluates only the new part of the prompt.
t send-keys -t chat "/think off" Enter
wait_for 'thinking off'
t send-keys -t chat '"""' Enter "line one" Enter "line two" Enter '"""' Enter
wait_for '\[prompt: [1-9][0-9]* reused'
# 3. Ctrl-C during an unbounded answer stops it, not the program.
t send-keys -t chat "/budget -1" Enter
wait_for 'unlimited'
n_before=$(count '\[prompt:')
t send-keys -t chat "Tell me a very long story" Enter
sleep 0.3
t send-keys -t chat C-c
wait_for 'stopped|tokens, '
[ "$(count '\[prompt:')" -gt "$n_before" ] || { echo "FAIL: no reply summary after Ctrl-C"; pane; exit 1; }
pane | grep -q CHAT-EXITED && { echo "FAIL: Ctrl-C ended the program"; pane; exit 1; }
# 4. /save writes the conversation; the multi-line message is kept intact.
t send-keys -t chat "/save $work/conv.json" Enter
wait_for 'saved [0-9]+ messages'
python3 - "$work/conv.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert [x["role"] for x in m[:4]] == ["user", "assistant", "user", "assistant"], m
assert m[2]["content"] == "line one\nline two\n", repr(m[2]["content"])
assert m[1].get("reasoning_content"), "first reply should carry reasoning"
PY
# 5. Ctrl-D quits with status 0.
t send-keys -t chat C-d
wait_for 'CHAT-EXITED 0'
echo "chat tmux test passed"
