#!/usr/bin/env bash
# One group per row: `cxm tickets --by ticket_id` as CSV and as JSON, on samples of
# each size. Prints the median wall time and peak RSS of RUNS runs, and both per
# ticket, so that growth with rows shows at a glance (linear cost: flat per-ticket
# columns).
#
#   cargo build --release
#   benches/groups.sh [SIZES...]          # default: 1000000 5000000
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), WORK (data folder,
# default /tmp/cxm-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 5000000)
mkdir -p "$work"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# "wall | peak RSS" of another tool's runs in FILE ("- | -" when TOOL is not there).
median_of() {
  if [ -z "$1" ]; then echo "- | -"; return; fi
  local wall rss
  wall=$(awk '{print $1}' "$2" | median)
  rss=$(awk '{print $2}' "$2" | median)
  awk -v w="$wall" -v r="$rss" 'BEGIN { printf "%.2f s | %.0f MB", w, r / 1024 }'
}

echo "| tickets (= groups) | format | wall | peak RSS | µs a ticket | bytes a ticket |"
echo "|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir=$work/groups-$n
  [ -f "$dir/tickets.csv" ] || "$cxm" sample --out "$dir" --tickets "$n" --seed 1 >&2
  for format in csv json; do
    : > "$work/times.txt"
    for _ in $(seq "$runs"); do
      /usr/bin/time -f "%e %M" -o "$work/time.txt" \
        "$cxm" tickets "$dir/tickets.csv" --by ticket_id --format "$format" -q -o "$work/out.$format"
      cat "$work/time.txt" >> "$work/times.txt"
    done
    wall=$(awk '{print $1}' "$work/times.txt" | median)
    rss=$(awk '{print $2}' "$work/times.txt" | median)
    awk -v n="$n" -v f="$format" -v w="$wall" -v r="$rss" 'BEGIN {
      printf "| %d | %s | %.2f s | %.0f MB | %.2f | %.0f |\n", n, f, w, r / 1024, w * 1e6 / n, r * 1024 / n
    }'
  done
done

# Groups grown at fixed rows: the first size's sample grouped by columns of rising
# cardinality (the count of groups is the output's row count).
n=${sizes[0]}
dir=$work/groups-$n
echo
# DuckDB's query of the same metrics (benches/sql/tickets.sql) and polars' lazy
# streaming query (benches/tickets_polars.py) alongside, in alternating runs, when
# their Python modules are there: how a grouped query's time grows with the groups
# elsewhere.
duck=""
python3 -c "import duckdb" 2> /dev/null && duck="python3 $root/benches/duckdb_query.py"
pol=""
python3 -c "import polars" 2> /dev/null && pol="python3 $root/benches/tickets_polars.py"
echo "| $n tickets, --by | groups | wall | peak RSS | DuckDB wall | DuckDB peak RSS | polars wall | polars peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
# DuckDB groups by one expression: several columns joined into one text.
duck_by() { case $1 in *,*) echo "concat_ws('/', ${1//,/, })" ;; *) echo "$1" ;; esac; }
for by in team agent agent,channel agent,channel,priority customer_id ticket_id; do
  : > "$work/times.txt"
  : > "$work/duck-times.txt"
  : > "$work/polars-times.txt"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" \
      "$cxm" tickets "$dir/tickets.csv" --by "$by" --format csv -q -o "$work/out.csv"
    cat "$work/time.txt" >> "$work/times.txt"
    if [ -n "$duck" ]; then
      # shellcheck disable=SC2086
      /usr/bin/time -f "%e %M" -o "$work/time.txt" $duck "$root/benches/sql/tickets.sql" \
        "TICKETS=$dir/tickets.csv" "BY=$(duck_by "$by")" > "$work/duck-out.csv"
      cat "$work/time.txt" >> "$work/duck-times.txt"
    fi
    if [ -n "$pol" ]; then
      # shellcheck disable=SC2086
      /usr/bin/time -f "%e %M" -o "$work/time.txt" $pol "$dir/tickets.csv" "$by" \
        > "$work/polars-out.csv"
      cat "$work/time.txt" >> "$work/polars-times.txt"
    fi
  done
  groups=$(($(wc -l < "$work/out.csv") - 1))
  wall=$(awk '{print $1}' "$work/times.txt" | median)
  rss=$(awk '{print $2}' "$work/times.txt" | median)
  awk -v b="$by" -v g="$groups" -v w="$wall" -v r="$rss" \
    -v others="$(median_of "$duck" "$work/duck-times.txt") | $(median_of "$pol" "$work/polars-times.txt")" \
    'BEGIN { printf "| %s | %d | %.2f s | %.0f MB | %s |\n", b, g, w, r / 1024, others }'
done
