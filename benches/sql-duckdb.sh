#!/usr/bin/env bash
# The generated tickets query on DuckDB over a large sample, against cxm itself:
# `cxm sql tickets --dialect duckdb --by team --every month` run by DuckDB over a view
# of the CSV (its typed, auto-detecting read_csv), and `cxm tickets --by team --every
# month`; both timed, results compared (tests/sql/compare.py).
#
#   cargo build --release
#   benches/sql-duckdb.sh [TICKETS]       # default: 10000000
#
# Env: CXM (binary), WORK (data folder, default /tmp/cxm-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cxm=${CXM:-${CARGO_TARGET_DIR:-$root/target}/release/cxm}
work=${WORK:-${TMPDIR:-/tmp}/cxm-bench}
n=${1:-10000000}
dir=$work/t$n
mkdir -p "$work"
[ -f "$dir/tickets.csv" ] || "$cxm" sample --out "$dir" --tickets "$n" --seed 1 >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=(--by team --every month)
"$cxm" sql tickets --dialect duckdb "${args[@]}" > "$out/query.sql"
start=$(date +%s.%N)
"$cxm" tickets "$dir/tickets.csv" "${args[@]}" --format csv -q > "$out/cxm.csv"
end=$(date +%s.%N)
echo "cxm tickets: $(echo "$end - $start" | bc) s"
python3 - "$dir/tickets.csv" "$out/query.sql" "$out/sql.csv" <<'PY'
import csv, sys, time
import duckdb
tickets, query, out = sys.argv[1:]
con = duckdb.connect()
con.execute(f"CREATE VIEW tickets AS SELECT * FROM read_csv('{tickets}')")
start = time.time()
cur = con.execute(open(query).read())
rows = cur.fetchall()
print(f"DuckDB {duckdb.__version__}, generated query: {time.time() - start:.2f} s")
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow([d[0] for d in cur.description])
    w.writerows([["" if v is None else v for v in r] for r in rows])
PY
python3 "$root/tests/sql/compare.py" "$out/cxm.csv" "$out/sql.csv"
