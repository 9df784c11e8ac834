#!/usr/bin/env bash
# The main job on a fresh machine, without downloads: write a Qwen3-0.6B-shaped
# model with RANDOM weights (`hako synth`), then generate text from it with
# `hako run`. The text is gibberish by construction; it shows the mechanics
# (loading, prompt, streaming, timing). To run a real model instead:
#   build/bin/hako run -m /path/to/Qwen3-0.6B-Q4_K_M.gguf -p "..." -n 128
set -euo pipefail
cd "$(dirname "$0")/.."
hako=build/bin/hako
model=build/demo/qwen3-0.6b-random-q4_K_M.gguf
mkdir -p build/demo
[ -f "$model" ] || "$hako" synth --shape qwen3-0.6b --type q4_K_M -o "$model"
"$hako" run -m "$model" -p "Write a haiku about the sea." -n 32 --temp 0.8 --seed 42
