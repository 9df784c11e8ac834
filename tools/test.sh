#!/usr/bin/env bash
# The whole test suite, as CI runs it: native Release build + ctest, then the
# ARM64 cross build with its tests under qemu-user, then the sanitizer builds.
#   tools/test.sh [--quick]    --quick: native build and tests only
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
quick=0; [ "${1:-}" = "--quick" ] && quick=1
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

step() { echo; echo "=== $* ($(date +%T))"; }

step "native release build"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build build -j"$jobs"
step "native tests"
ctest --test-dir build --output-on-failure -j"$jobs"
[ $quick -eq 1 ] && exit 0

step "arm64 cross build"
cmake -S . -B build-arm64 -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
  -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake >/dev/null
cmake --build build-arm64 -j"$jobs"
step "arm64 tests under qemu-user"
ctest --test-dir build-arm64 --output-on-failure -j"$jobs" -LE slow

step "address + undefined sanitizer build"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAKO_SANITIZE=address "${launcher[@]}" >/dev/null
cmake --build build-asan -j"$jobs"
step "tests under ASan+UBSan"
ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE slow
echo; echo "all tests passed ($(date +%T))"
