#!/usr/bin/env bash
# Installs the Debian 12 packages hako needs to build and test (run as root or
# with sudo). Everything comes from Debian's archive; nothing else is fetched.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
pkgs=(
  build-essential cmake ninja-build pkg-config ccache git
  nlohmann-json3-dev libcli11-dev libpcre2-dev libutf8proc-dev zlib1g-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev                 # libFuzzer + sanitizer runtimes
  g++-aarch64-linux-gnu qemu-user          # the ARM64 build and its tests
  tmux python3
)
arm64_pkgs=(libpcre2-dev:arm64 zlib1g-dev:arm64 libgtest-dev:arm64 libgmock-dev:arm64 libutf8proc-dev:arm64)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
fi
pkgs+=("${arm64_pkgs[@]}")
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
