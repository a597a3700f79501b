#!/usr/bin/env bash
# Compare `cxm tickets FILE --by team --format csv` with the same metrics as one DuckDB
# SQL query (tests/fixtures/crosscheck/tickets.sql), on tickets from `cxm sample`.
# Runs alternate; prints the median wall time and peak RSS of RUNS runs of each.
#
#   pip install duckdb
#   cargo build --release
#   benches/compare.sh [SIZES...]         # default: 1000000 10000000
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), WORK (data folder).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
mkdir -p "$work"

# Print "seconds max_rss_kb" for one run of a command (output discarded).
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null
  cat "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-10s %-8s %-10s %-10s %-12s %-8s %-10s\n' rows "size" cxm_s cxm_rss_mb duckdb_s dckb_mb ratio
for n in "${sizes[@]}"; do
  dir="$work/$n"
  [ -f "$dir/tickets.csv" ] || "$cxm" sample --out "$dir" --tickets "$n" --seed 1
  cat "$dir/tickets.csv" > /dev/null # warm the page cache
  : > "$work/cxm.txt"; : > "$work/duck.txt"
  for _ in $(seq "$runs"); do
    measure "$cxm" tickets "$dir/tickets.csv" --by team --format csv >> "$work/cxm.txt"
    measure python3 "$root/tests/fixtures/crosscheck/duckdb_run.py" tickets.sql TICKETS="$dir/tickets.csv" >> "$work/duck.txt"
  done
  cs=$(cut -d' ' -f1 "$work/cxm.txt" | median); cm=$(cut -d' ' -f2 "$work/cxm.txt" | median)
  ds=$(cut -d' ' -f1 "$work/duck.txt" | median); dm=$(cut -d' ' -f2 "$work/duck.txt" | median)
  size=$(du -m "$dir/tickets.csv" | cut -f1)
  printf '%-10s %-8s %-10s %-10s %-12s %-8s %-10s\n' "$n" "${size}MB" "$cs" "$((cm / 1024))" "$ds" "$((dm / 1024))" \
    "$(awk -v a="$cs" -v b="$ds" 'BEGIN {printf "%.2f", a / b}')"
done
