#!/usr/bin/env bash
# Side-by-side prefill/decode benchmark: hako vs llama.cpp (mainline) vs
# ik_llama.cpp (-rtr 1) on the same GGUF files, engines alternating per model
# so that drift hits all three alike. Engines are NOT built here: point
# LLAMA_BENCH and IK_BENCH at existing llama-bench binaries (either may be
# absent). Prints one markdown row per (model, threads, test).
#   bench/e2e/compare.sh [-p 512] [-n 128] [-t "1 2"] [-d 0] [-r 3] MODEL.gguf...
set -euo pipefail
p=512; n=128; threads="1 2"; depth=0; reps=3
while getopts "p:n:t:d:r:" o; do
  case $o in p) p=$OPTARG;; n) n=$OPTARG;; t) threads=$OPTARG;; d) depth=$OPTARG;; r) reps=$OPTARG;; *) exit 2;; esac
done
shift $((OPTIND - 1))
hako=${HAKO:-build/bin/hako}
llama=${LLAMA_BENCH:-}; ik=${IK_BENCH:-}
# llama-bench -o json -> "pp tok/s tg tok/s"
lb() {
  "$@" -o json 2>/dev/null | python3 -c '
import json,sys
r=json.load(sys.stdin); pp=[x["avg_ts"] for x in r if x["n_prompt"]>0]; tg=[x["avg_ts"] for x in r if x["n_gen"]>0]
print("%.1f %.2f" % (pp[0] if pp else 0, tg[0] if tg else 0))'
}
echo "| model | threads | depth | test | hako | llama.cpp | ik_llama.cpp (-rtr 1) | hako / llama.cpp | hako / ik |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|"
for m in "$@"; do
  for t in $threads; do
    read -r hp ht bw < <("$hako" bench -m "$m" -p "$p" -n "$n" -t "$t" -d "$depth" -r "$reps" --json |
      python3 -c 'import json,sys; j=json.loads(sys.stdin.readline()); print("%.1f %.2f %.1f" % (j["prefill_tok_s"], j["decode_tok_s"], j["bandwidth_gbps"]))')
    lp=0; lt=0; ip=0; it=0
    [ -n "$llama" ] && read -r lp lt < <(lb "$llama" -m "$m" -p "$p" -n "$n" -t "$t" -d "$depth" -r "$reps")
    # ik_llama.cpp has no -d: its -gp DEPTH,N times N generated tokens after a
    # DEPTH-token prompt (and then -n must be 0, or tg at depth 0 is taken).
    ikgen=(-n "$n"); [ "$depth" != 0 ] && ikgen=(-n 0 -gp "$depth,$n")
    [ -n "$ik" ] && read -r ip it < <(lb "$ik" -m "$m" -p "$p" "${ikgen[@]}" -t "$t" -r "$reps" -rtr 1)
    ratio() { python3 -c "a,b=$1,$2; print('%.2f' % (a/b) if b else '-')"; }
    name=$(basename "$m" .gguf)
    echo "| $name | $t | $depth | pp$p | $hp | $lp | $ip | $(ratio "$hp" "$lp") | $(ratio "$hp" "$ip") |"
    echo "| $name | $t | $depth | tg$n | $ht | $lt | $it | $(ratio "$ht" "$lt") | $(ratio "$ht" "$it") |"
  done
done
