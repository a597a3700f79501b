#!/usr/bin/env bash
# Event logs against DuckDB: `cxm tickets --events LOG --by team` and the same
# derivation plus grouped metrics in DuckDB SQL with window functions
# (tests/fixtures/crosscheck/events.sql, run from Python), on generated logs of
# each size (tickets; about 7 events each), runs alternating. Prints the median wall
# time and peak RSS of RUNS runs of each.
#
#   cargo build --release && pip install duckdb
#   benches/events.sh [TICKETS...]       # default: 150000 1430000 (1M and 10M events)
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), WORK (data folder,
# default /tmp/cxm-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(150000 1430000)
mkdir -p "$work"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| events | tool | wall (median of $runs) | peak RSS |"
echo "|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir=$work/events-$n
  [ -f "$dir/events.csv" ] || "$cxm" sample --out "$dir" --tickets 10 --events "$n" --seed 5 >&2
  events=$(($(wc -l < "$dir/events.csv") - 1))
  : > "$work/ev-cxm.txt"; : > "$work/ev-duckdb.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" \
      "$cxm" tickets --events "$dir/events.csv" --by team --format csv -q -o "$work/ev-out.csv"
    cat "$work/time.txt" >> "$work/ev-cxm.txt"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" \
      python3 "$root/tests/fixtures/crosscheck/duckdb_run.py" events.sql EVENTS="$dir/events.csv" > /dev/null
    cat "$work/time.txt" >> "$work/ev-duckdb.txt"
  done
  for tool in cxm duckdb; do
    wall=$(awk '{print $1}' "$work/ev-$tool.txt" | median)
    rss=$(awk '{print $2}' "$work/ev-$tool.txt" | median)
    awk -v n="$events" -v t="$tool" -v w="$wall" -v r="$rss" 'BEGIN {
      printf "| %d | %s | %.2f s | %.0f MB |\n", n, t, w, r / 1024
    }'
  done
done
