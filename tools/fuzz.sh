#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan+UBSan) and runs
# each one after the other for N minutes, starting from the seed corpus each
# fuzzer names in tests/fuzz/CMakeLists.txt (from ../shared/testdata)
# plus what earlier runs found. A crash, leak, timeout or out-of-memory stops
# that fuzzer; its input is saved under the crash folder and the script goes
# on with the next fuzzer, then exits 1.
#   tools/fuzz.sh [--minutes N] [--seconds S] [--only NAME] [--build DIR]
#                 [--corpus DIR] [--crashes DIR]
# Defaults: 1 minute each, build-fuzz/, fuzz-corpus/<name>/, fuzz-corpus/crashes/.
# Reproduce: <build>/bin/<name> <crash file>; add the file with the fix to the
# target's regressions (docs/reliability.md lists the folders; replayed in ctest).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
only=""
build=build-fuzz
corpus_root=fuzz-corpus
crashes=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --corpus) corpus_root=$2; shift 2 ;;
    --crashes) crashes=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
crashes=${crashes:-$corpus_root/crashes}
testdata=${HAKO_TESTDATA:-$(pwd)/../shared/testdata}
[ -d "$testdata" ] || { echo "fuzz.sh: test data not found at $testdata (set HAKO_TESTDATA)" >&2; exit 2; }
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is needed (apt-get install clang)" >&2; exit 2; }

launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake --preset fuzz -B "$build" "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${only:-fuzzers}" fuzz_seed_models fuzz_seed_chat_outputs

# Seed globs that fuzzers registered without SEEDS fall back to, by name.
default_seeds() {
  case "$1" in
    tokenizer_fuzz) echo "vocab/*.inp" ;;
    jinja_fuzz) echo "templates/*.jinja" ;;
    *) echo "" ;;
  esac
}

mkdir -p "$crashes"
failed=()
while IFS=$'\t' read -r name globs; do
  [ -n "$name" ] || continue
  [ -z "$only" ] || [ "$only" = "$name" ] || continue
  [ -n "$globs" ] || globs=$(default_seeds "$name")
  seeds="$build/fuzz-seeds/$name"
  rm -rf "$seeds"; mkdir -p "$seeds" "$corpus_root/$name"
  n_seeds=0
  for g in $globs; do
    if [ "$g" = "@tiny-models" ]; then
      "$build/bin/fuzz_seed_models" "$testdata" "$seeds" >/dev/null
      n_seeds=$((n_seeds + $(find "$seeds" -name 'tiny-*' | wc -l))); continue
    fi
    if [ "$g" = "@chat-outputs" ]; then  # chat_parse_fuzz: header + assistant turns
      n_seeds=$((n_seeds + $("$build/bin/fuzz_seed_chat_outputs" "$testdata" "$seeds"))); continue
    fi
    for f in "$testdata"/$g; do
      [ -f "$f" ] || continue
      # Flattened path as the name: reference/llama/model.gguf -> reference_llama_model.gguf
      rel=${f#"$testdata"/}
      cp "$f" "$seeds/${rel//\//_}"
      n_seeds=$((n_seeds + 1))
    done
  done
  echo "=== $name: ${seconds}s, $n_seeds seeds, corpus $corpus_root/$name ($(date +%T))"
  # -timeout: one input may take at most 10 s ("within seconds");
  # -rss_limit_mb / -malloc_limit_mb: memory stays bounded on hostile input.
  log="$build/fuzz-$name.log"
  # A dictionary of the input's keywords, if the target has one (tests/fuzz/<name without _fuzz>.dict).
  dict=(); [ -f "tests/fuzz/${name%_fuzz}.dict" ] && dict=(-dict="tests/fuzz/${name%_fuzz}.dict")
  if "$build/bin/$name" "$corpus_root/$name" "$seeds" "${dict[@]}" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
      -artifact_prefix="$crashes/$name-" -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$log" | tr '\n' ' '
    echo "corpus: $(find "$corpus_root/$name" -type f | wc -l) files"
  else
    echo "!!! $name found a problem (log: $log):"
    grep -E 'ERROR|runtime error|Test unit written' "$log" | head -5
    failed+=("$name")
  fi
done < "$build/fuzzers.txt"

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]} (inputs in $crashes/)"
  exit 1
fi
echo "fuzz.sh: no findings"
