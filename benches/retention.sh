#!/usr/bin/env bash
# What the retention views cost against what a user would write instead, on one
# generated sample of CUSTOMERS customers (about 1.06 subscriptions each):
#   --movements (2025, by month)  vs DuckDB: tests/fixtures/crosscheck/movements.sql
#   --cohorts   (2025, by month)  vs DuckDB: tests/fixtures/crosscheck/cohorts.sql
#   --survival --by plan          vs pandas + lifelines: benches/retention/survival.py
# DuckDB and lifelines run from Python (`pip install duckdb lifelines pandas`), typed
# auto-detecting reads. Runs alternate; prints the median wall time and peak RSS of RUNS.
#
#   cargo build --release
#   benches/retention.sh [CUSTOMERS]        # default: 1000000
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), WORK (data folder,
# default /tmp/cxm-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
n=${1:-1000000}
dir=$work/c$n
subs=$dir/subscriptions.csv
mkdir -p "$work"
[ -f "$subs" ] || "$cxm" sample --out "$dir" --tickets 1000 --customers "$n" --seed 1 >&2
duck="python3 $root/tests/fixtures/crosscheck/duckdb_run.py"
now=2026-01-01
cmd_of() {
  case $1 in
    cxm-movements) echo "$cxm" churn "$subs" --period 2025 --movements --format csv -q ;;
    ref-movements) echo $duck "$root/tests/fixtures/crosscheck/movements.sql" SUBS="$subs" ;;
    cxm-cohorts) echo "$cxm" churn "$subs" --period 2025 --cohorts --format csv -q ;;
    ref-cohorts) echo $duck "$root/tests/fixtures/crosscheck/cohorts.sql" SUBS="$subs" ;;
    cxm-survival) echo "$cxm" churn "$subs" --survival --by plan --now ${now}T00:00:00Z --format csv -q ;;
    ref-survival) echo python3 "$root/benches/retention/survival.py" "$subs" $now ;;
  esac
}
variants=(cxm-movements ref-movements cxm-cohorts ref-cohorts cxm-survival ref-survival)
for v in "${variants[@]}"; do : > "$work/ret-$v.txt"; done
for _ in $(seq "$runs"); do
  for v in "${variants[@]}"; do
    # shellcheck disable=SC2046
    /usr/bin/time -f "%e %M" -o "$work/time.txt" $(cmd_of "$v") > "$work/ret-out.txt"
    cat "$work/time.txt" >> "$work/ret-$v.txt"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| $n customers | cxm | reference | time ratio | cxm peak RSS | reference peak RSS |"
echo "|---|---|---|---|---|---|"
for view in movements cohorts survival; do
  c=$(awk '{print $1}' "$work/ret-cxm-$view.txt" | median)
  r=$(awk '{print $1}' "$work/ret-ref-$view.txt" | median)
  cm=$(awk '{print $2}' "$work/ret-cxm-$view.txt" | median)
  rm=$(awk '{print $2}' "$work/ret-ref-$view.txt" | median)
  ref=$([ "$view" = survival ] && echo "pandas + lifelines" || echo DuckDB)
  awk -v v="$view" -v c="$c" -v r="$r" -v cm="$cm" -v rm="$rm" -v ref="$ref" 'BEGIN {
    printf "| --%s (vs %s) | %.2f s | %.2f s | %.2f | %.0f MB | %.0f MB |\n", v, ref, c, r, c / r, cm / 1024, rm / 1024
  }'
done
