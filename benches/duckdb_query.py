"""Run a SQL file in DuckDB as its users do, for benches/compare.sh:
`duckdb_query.py FILE.sql NAME=VALUE...` replaces each $NAME in the SQL by VALUE, runs
the statements and has DuckDB itself write the last one's result to stdout as CSV."""
import pathlib
import sys

import duckdb

sql = pathlib.Path(sys.argv[1]).read_text()
for arg in sys.argv[2:]:
    name, value = arg.split("=", 1)
    sql = sql.replace("$" + name, value)
stmts = [s for s in sql.split(";") if s.strip()]
con = duckdb.connect()
for stmt in stmts[:-1]:
    con.execute(stmt)
sys.stdout.flush()
con.execute(f"COPY ({stmts[-1]}) TO '/dev/stdout' (HEADER)")
