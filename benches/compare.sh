#!/usr/bin/env bash
# cxm against DuckDB (and polars) on the same definitions, on data from `cxm sample`,
# for each size N of tickets (its default customers; surveys and subscriptions too):
#   tickets --by team          vs benches/sql/tickets.sql BY=team (typed, auto-detecting
#                              read_csv, as DuckDB users write it), its all_varchar
#                              variant (tests/fixtures/crosscheck/tickets.sql), and
#                              benches/tickets_polars.py (lazy, streaming)
#   tickets --by customer_id   vs the same with BY=customer_id
#   surveys --tickets --by team (the join) vs benches/sql/surveys.sql
#   churn --period 2025        vs benches/sql/churn.sql
#   report DIR --period 2025   vs the sum of DuckDB's medians of the three queries above
# Runs alternate (cxm, DuckDB, …), page cache warm; each row gives the median wall
# time and median peak RSS of RUNS runs, and cxm ÷ DuckDB for both.
#
#   pip install duckdb polars
#   cargo build --release
#   benches/compare.sh [SIZES...]         # default: 1000000 10000000
#
# Env: CXM (binary; default target/release/cxm), RUNS (default 3), WORK (data folder,
# default /tmp/cxm-bench), SKIP (row names to leave out: team customer_id surveys churn
# report polars varchar).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
runs=${RUNS:-3}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
skip=" ${SKIP:-} "
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
mkdir -p "$work"
duck="python3 $root/benches/duckdb_query.py"
sql=$root/benches/sql

# "seconds max_rss_kb" of one run of a command (its output discarded).
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt" || {
    cat "$work/stderr.txt" >&2
    return 1
  }
  cat "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { cut -d' ' -f1 "$1" | median; }
rss_mb() { echo $(( $(cut -d' ' -f2 "$1" | median) / 1024 )); }
skipped() { [[ "$skip" == *" $1 "* ]]; }

# NAME -- COMMAND... [-- COMMAND...]...: RUNS alternating rounds, each command's
# measures in $work/NAME.K.txt (K = 0, 1, …).
rounds() {
  local name=$1; shift 2
  local cmds=() cmd=()
  for arg in "$@" --; do
    if [ "$arg" = -- ]; then cmds+=("${cmd[*]}"); cmd=(); else cmd+=("$arg"); fi
  done
  for k in "${!cmds[@]}"; do : > "$work/$name.$k.txt"; done
  for _ in $(seq "$runs"); do
    for k in "${!cmds[@]}"; do
      # shellcheck disable=SC2086
      measure ${cmds[$k]} >> "$work/$name.$k.txt"
    done
  done
}

# LABEL CXM_FILE DUCK_FILE [OTHER LABEL FILE]...: one table row.
row() {
  local label=$1 a=$2 b=$3; shift 3
  local others=""
  while [ $# -gt 1 ]; do others+="; $1 $(wall "$2") s, $(rss_mb "$2") MB"; shift 2; done
  printf '| %s | %s s, %s MB | %s s, %s MB | %s | %s | %s |\n' "$label" \
    "$(wall "$a")" "$(rss_mb "$a")" "$(wall "$b")" "$(rss_mb "$b")" \
    "$(awk -v x="$(wall "$a")" -v y="$(wall "$b")" 'BEGIN {printf "%.2f", x / y}')" \
    "$(awk -v x="$(rss_mb "$a")" -v y="$(rss_mb "$b")" 'BEGIN {printf "%.2f", x / y}')" \
    "${others#; }"
}

echo "| run | cxm | DuckDB (typed read_csv) | time ÷ | RSS ÷ | others |"
echo "|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  dir=$work/t$n
  [ -f "$dir/tickets.csv" ] || "$cxm" sample --out "$dir" --tickets "$n" --seed 1 >&2
  t=$dir/tickets.csv s=$dir/surveys.csv u=$dir/subscriptions.csv
  cat "$t" "$s" "$u" > /dev/null # warm the page cache
  if ! skipped team; then
    extra=()
    skipped varchar || extra+=(-- python3 "$root/tests/fixtures/crosscheck/duckdb_run.py" \
      "$root/tests/fixtures/crosscheck/tickets.sql" "TICKETS=$t")
    skipped polars || extra+=(-- python3 "$root/benches/tickets_polars.py" "$t" team)
    rounds team -- "$cxm" tickets "$t" --by team --format csv \
      -- $duck "$sql/tickets.sql" "TICKETS=$t" BY=team "${extra[@]}"
    others=()
    k=2
    if ! skipped varchar; then others+=("DuckDB all_varchar" "$work/team.$k.txt"); k=3; fi
    skipped polars || others+=("polars" "$work/team.$k.txt")
    row "tickets --by team, $n" "$work/team.0.txt" "$work/team.1.txt" "${others[@]}"
  fi
  if ! skipped customer_id; then
    extra=()
    skipped polars || extra+=(-- python3 "$root/benches/tickets_polars.py" "$t" customer_id)
    rounds cid -- "$cxm" tickets "$t" --by customer_id --format csv \
      -- $duck "$sql/tickets.sql" "TICKETS=$t" BY=customer_id "${extra[@]}"
    others=()
    skipped polars || others+=("polars" "$work/cid.2.txt")
    row "tickets --by customer_id, $n" "$work/cid.0.txt" "$work/cid.1.txt" "${others[@]}"
  fi
  if ! skipped surveys; then
    rounds surveys -- "$cxm" surveys "$s" --tickets "$t" --by team --format csv \
      -- $duck "$sql/surveys.sql" "SURVEYS=$s" "TICKETS=$t"
    row "surveys --tickets --by team, $n" "$work/surveys.0.txt" "$work/surveys.1.txt"
  fi
  if ! skipped churn; then
    rounds churn -- "$cxm" churn "$u" --period 2025 --format csv \
      -- $duck "$sql/churn.sql" "SUBS=$u"
    row "churn --period 2025, $n" "$work/churn.0.txt" "$work/churn.1.txt"
  fi
  if ! skipped report && ! skipped team && ! skipped surveys && ! skipped churn; then
    rounds report -- "$cxm" report "$dir" --period 2025 --format csv -q
    # DuckDB's side: the sum of its three queries' medians (times), their largest RSS.
    paste -d' ' \
      <(awk -v a="$(wall "$work/team.1.txt")" -v b="$(wall "$work/surveys.1.txt")" \
          -v c="$(wall "$work/churn.1.txt")" 'BEGIN {print a + b + c}') \
      <(for f in team.1 surveys.1 churn.1; do cut -d' ' -f2 "$work/$f.txt" | median; done \
          | sort -n | tail -1) > "$work/report.duck.txt"
    row "report DIR --period 2025, $n (DuckDB: sum of the three)" \
      "$work/report.0.txt" "$work/report.duck.txt"
  fi
done
