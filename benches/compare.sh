#!/usr/bin/env bash
# cxm against DuckDB on the same definitions, on data from `cxm sample`:
#   tickets N   `cxm tickets tickets.csv --by team` vs tests/fixtures/crosscheck/tickets.sql
#   surveys     `cxm surveys surveys.csv --tickets tickets.csv --by team` (the ticket join)
#               vs surveys.sql, on the first size's sample
#   churn       `cxm churn subscriptions.csv --period 2025` vs churn.sql, on CUSTOMERS
#               customers
# Runs alternate (cxm, DuckDB, cxm, …), page cache warm; prints the median wall time and
# median peak RSS of RUNS runs of each, the ratio cxm ÷ DuckDB, and `cat` of the input.
# The tickets rows also time the same query in polars (Python, lazy) and pandas
# (benches/tickets_polars.py, benches/tickets_pandas.py) when those modules import.
#
#   pip install duckdb polars pandas
#   cargo build --release
#   benches/compare.sh [SIZES...]         # default: 1000000 10000000
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), CUSTOMERS (default
# 1000000), WORK (data folder, default /tmp/cxm-bench), SKIP (e.g. "surveys churn").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
customers=${CUSTOMERS:-1000000}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
skip=${SKIP:-}
sql=$root/tests/fixtures/crosscheck
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
mkdir -p "$work"

# "seconds max_rss_kb" of one run of a command (its output discarded).
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt"
  cat "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
sample() { # DIR TICKETS CUSTOMERS
  [ -f "$1/tickets.csv" ] || "$cxm" sample --out "$1" --tickets "$2" --customers "$3" --seed 1 >&2
}

# "S s, M MB": the median wall time and median peak RSS of a file of measure lines.
summary() {
  printf '%s s, %s MB' "$(cut -d' ' -f1 "$1" | median)" \
    "$(( $(cut -d' ' -f2 "$1" | median) / 1024 ))"
}
importable() { python3 -c "import $1" 2> /dev/null; }

# LABEL FILE -- CXM ARGS -- DUCKDB ARGS [-- PYTHON SCRIPT SUFFIX]: alternate runs, print
# one table row. With a suffix, benches/tickets_SUFFIX.py FILE runs for polars and pandas.
compare() {
  local label=$1 file=$2; shift 3
  local a=() b=() py=""
  while [ "$1" != -- ]; do a+=("$1"); shift; done; shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do b+=("$1"); shift; done
  [ $# -gt 0 ] && py=$2
  cat "$file" > /dev/null # warm the page cache
  local cat_s
  cat_s=$( { /usr/bin/time -f "%e" cat "$file" > /dev/null; } 2>&1 )
  local others=()
  if [ -n "$py" ]; then
    for lib in polars pandas; do importable "$lib" && others+=("$lib"); done
  fi
  : > "$work/cxm.txt"; : > "$work/duck.txt"
  for lib in "${others[@]}"; do : > "$work/$lib.txt"; done
  for _ in $(seq "$runs"); do
    measure "$cxm" "${a[@]}" >> "$work/cxm.txt"
    (cd "$sql" && measure python3 duckdb_run.py "${b[@]}") >> "$work/duck.txt"
    for lib in "${others[@]}"; do
      measure python3 "$root/benches/${py}_$lib.py" "$file" >> "$work/$lib.txt"
    done
  done
  local cs ds polars=— pandas=—
  cs=$(cut -d' ' -f1 "$work/cxm.txt" | median)
  ds=$(cut -d' ' -f1 "$work/duck.txt" | median)
  for lib in "${others[@]}"; do
    printf -v "$lib" '%s' "$(summary "$work/$lib.txt")"
  done
  printf '| %s | %s MB | %s | %s | %s | %s | %s | %s s |\n' "$label" \
    "$(du -m "$file" | cut -f1)" "$(summary "$work/cxm.txt")" "$(summary "$work/duck.txt")" \
    "$polars" "$pandas" "$(awk -v a="$cs" -v b="$ds" 'BEGIN {printf "%.2f", a / b}')" "$cat_s"
}

echo "| input | size | cxm (wall, peak RSS) | DuckDB | polars (Python) | pandas | cxm ÷ DuckDB | cat |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir="$work/$n"
  sample "$dir" "$n" $((n / 10))
  compare "tickets $n" "$dir/tickets.csv" -- tickets "$dir/tickets.csv" --by team --format csv \
    -- tickets.sql TICKETS="$dir/tickets.csv" -- tickets
done
first="$work/${sizes[0]}"
if [[ " $skip " != *" surveys "* ]]; then
  compare "surveys of ${sizes[0]} tickets, joined to them" "$first/surveys.csv" \
    -- surveys "$first/surveys.csv" --tickets "$first/tickets.csv" --by team --format csv \
    -- surveys.sql SURVEYS="$first/surveys.csv" TICKETS="$first/tickets.csv"
fi
if [[ " $skip " != *" churn "* ]]; then
  dir="$work/customers-$customers"
  sample "$dir" 1000 "$customers"
  compare "churn, $customers customers" "$dir/subscriptions.csv" \
    -- churn "$dir/subscriptions.csv" --period 2025 --format csv \
    -- churn.sql SUBS="$dir/subscriptions.csv"
fi
