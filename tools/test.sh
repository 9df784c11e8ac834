#!/usr/bin/env bash
# The whole test suite, as CI runs it: native Release build + ctest, then the
# ARM64 cross build with its tests under qemu-user, then the sanitizer builds
# (ASan+UBSan: every test but `slow`; TSan: the tests labelled `threads`),
# then each libFuzzer target for a short fixed time (when clang is present).
# Each step's wall time is printed at the end.
#   tools/test.sh [--quick]    --quick: native build and tests only
# HAKO_BUILD_PREFIX (default "build") names the build folders: build,
# build-arm64, build-asan, build-tsan, build-fuzz. HAKO_FUZZ_SECONDS (default
# 30) is each fuzzer's time. Reproduce one step with its preset, e.g.
# `cmake --preset tsan && cmake --build --preset tsan && ctest --preset tsan`.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
quick=0; [ "${1:-}" = "--quick" ] && quick=1
b=${HAKO_BUILD_PREFIX:-build}
fuzz_seconds=${HAKO_FUZZ_SECONDS:-30}
launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# Sanitizer reports fail the test that triggers them.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

timings=()
step_name=""; step_start=$SECONDS
end_step() {
  [ -z "$step_name" ] || timings+=("$(printf '%5ds  %s' $((SECONDS - step_start)) "$step_name")")
}
step() {
  end_step
  step_name="$*"; step_start=$SECONDS
  echo; echo "=== $* ($(date +%T))"
}
finish() {
  end_step
  echo; echo "step timings:"; printf '%s\n' "${timings[@]}"
  echo "all tests passed ($(date +%T), $((SECONDS / 60)) min $((SECONDS % 60)) s)"
}

step "native release build"
cmake -S . -B "$b" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
cmake --build "$b" -j"$jobs"
step "native tests"
ctest --test-dir "$b" --output-on-failure -j"$jobs"
if [ $quick -eq 1 ]; then finish; exit 0; fi

step "arm64 cross build"
cmake -S . -B "$b-arm64" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" \
  -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake >/dev/null
cmake --build "$b-arm64" -j"$jobs"
step "arm64 tests under qemu-user"
ctest --test-dir "$b-arm64" --output-on-failure -j"$jobs" -LE slow

step "address + undefined sanitizer build"
cmake -S . -B "$b-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAKO_SANITIZE=address "${launcher[@]}" >/dev/null
cmake --build "$b-asan" -j"$jobs"
step "tests under ASan+UBSan"
ctest --test-dir "$b-asan" --output-on-failure -j"$jobs" -LE slow

step "thread sanitizer build (tests labelled threads)"
cmake -S . -B "$b-tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHAKO_SANITIZE=thread "${launcher[@]}" >/dev/null
# Test names are their executables' target names (tests/CMakeLists.txt).
mapfile -t tsan_targets < <(ctest --test-dir "$b-tsan" -N -L threads | sed -n 's/^ *Test *#[0-9]*: //p')
cmake --build "$b-tsan" -j"$jobs" --target "${tsan_targets[@]}"
step "tests under TSan"
ctest --test-dir "$b-tsan" --output-on-failure -j"$jobs" -L threads

if command -v clang++ >/dev/null; then
  step "fuzzers, ${fuzz_seconds}s each"
  rm -rf "$b-fuzz/ci-corpus"
  tools/fuzz.sh --seconds "$fuzz_seconds" --build "$b-fuzz" --corpus "$b-fuzz/ci-corpus"
else
  echo "(clang++ not found: fuzzers skipped)"
fi
finish
