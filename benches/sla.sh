#!/usr/bin/env bash
# What business hours and SLA policies cost: `cxm tickets --by team` on one sample,
# plain, with `--schedule support`, and with `--schedule support --sla-policy
# fast,standard` (tests/fixtures/crosscheck/hours.toml), runs alternating so that the
# machine's drift falls on all three alike. Prints each variant's median wall time and
# peak RSS of RUNS runs and its cost over the plain run: of the medians, and the
# median of each round's own ratio.
#
#   cargo build --release
#   benches/sla.sh [TICKETS]              # default: 10000000
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), WORK (data folder,
# default /tmp/cxm-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
n=${1:-10000000}
dir=$work/t$n
mkdir -p "$work"
[ -f "$dir/tickets.csv" ] || "$cxm" sample --out "$dir" --tickets "$n" --seed 1 >&2
config=$root/tests/fixtures/crosscheck/hours.toml
variants=("plain" "schedule" "schedule+policies")
args_of() {
  case $1 in
    plain) ;;
    schedule) echo --schedule support ;;
    schedule+policies) echo --schedule support --sla-policy fast,standard ;;
  esac
}
for v in "${variants[@]}"; do : > "$work/sla-$v.txt"; done
for _ in $(seq "$runs"); do
  for v in "${variants[@]}"; do
    # shellcheck disable=SC2046
    /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" \
      "$cxm" tickets "$dir/tickets.csv" --by team --config "$config" $(args_of "$v") \
      --now 2026-01-02T12:00:00Z --format csv -q -o "$work/sla-out.csv"
    cat "$work/time.txt" >> "$work/sla-$v.txt"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Each run over the plain run of its round: the machine's drift between rounds (this
# kind of VM drifts 10-30 % within minutes) cancels out of these.
paired() { paste -d' ' "$work/sla-plain.txt" "$work/sla-$1.txt" | awk '{print $5 / $1}' | median; }
base=$(awk '{print $1}' "$work/sla-plain.txt" | median)
cpu_base=$(awk '{print $3 + $4}' "$work/sla-plain.txt" | median)
echo "| $n tickets, --by team | wall (median of $runs) | CPU (user + sys) | peak RSS | wall over plain | CPU over plain | wall over plain, round by round |"
echo "|---|---|---|---|---|---|---|"
for v in "${variants[@]}"; do
  wall=$(awk '{print $1}' "$work/sla-$v.txt" | median)
  rss=$(awk '{print $2}' "$work/sla-$v.txt" | median)
  cpu=$(awk '{print $3 + $4}' "$work/sla-$v.txt" | median)
  pair=$(paired "$v")
  awk -v v="$v" -v w="$wall" -v r="$rss" -v b="$base" -v c="$cpu" -v cb="$cpu_base" -v p="$pair" 'BEGIN {
    printf "| %s | %.2f s | %.2f s | %.0f MB | %+.0f %% | %+.0f %% | %+.0f %% |\n", v, w, c, r / 1024, (w / b - 1) * 100, (c / cb - 1) * 100, (p - 1) * 100
  }'
done
