#!/usr/bin/env bash
# `cxm customers` against the same join written in DuckDB (tests/fixtures/crosscheck/customers.sql:
# typed, auto-detecting read_csv, views, run from the Python module), on one sample of
# TICKETS tickets with their surveys and subscriptions, first half of 2025, 90-day
# horizon. Runs alternate; prints the median wall time and peak RSS of RUNS.
#
#   cargo build --release
#   benches/customers.sh [TICKETS]        # default: 10000000
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), WORK (data folder,
# default /tmp/cxm-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
n=${1:-10000000}
dir=$work/k$n
mkdir -p "$work"
[ -f "$dir/tickets.csv" ] || "$cxm" sample --out "$dir" --tickets "$n" --seed 1 >&2
: > "$work/cust-cxm.txt"
: > "$work/cust-duckdb.txt"
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$cxm" customers "$dir" --since 2025-01-01 \
    --until 2025-07-01 --now 2026-01-01T00:00:00Z --format csv -q -o "$work/cust-out.csv"
  cat "$work/time.txt" >> "$work/cust-cxm.txt"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" python3 "$root/tests/fixtures/crosscheck/duckdb_run.py" \
    "$root/tests/fixtures/crosscheck/customers.sql" T="$dir/tickets.csv" S="$dir/surveys.csv" \
    U="$dir/subscriptions.csv" > "$work/cust-ref.csv"
  cat "$work/time.txt" >> "$work/cust-duckdb.txt"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c=$(awk '{print $1}' "$work/cust-cxm.txt" | median)
d=$(awk '{print $1}' "$work/cust-duckdb.txt" | median)
cm=$(awk '{print $2}' "$work/cust-cxm.txt" | median)
dm=$(awk '{print $2}' "$work/cust-duckdb.txt" | median)
rows=$(($(wc -l < "$work/cust-out.csv") - 1))
echo "| $n tickets, $rows customers | cxm | DuckDB | time ratio | cxm peak RSS | DuckDB peak RSS |"
echo "|---|---|---|---|---|---|"
awk -v c="$c" -v d="$d" -v cm="$cm" -v dm="$dm" 'BEGIN {
  printf "| customers | %.2f s | %.2f s | %.2f | %.0f MB | %.0f MB |\n", c, d, c / d, cm / 1024, dm / 1024
}'
