#!/usr/bin/env python3
"""Run a query of `cxm sql` on a real engine, over CSV files loaded as typed tables.

    run.py duckdb|postgres|spark --table NAME=FILE.csv ... --query IN.sql=OUT.csv ...

Writes each query's result as CSV (header, then rows; empty cells for NULL).
Columns are typed by their canonical name (timestamps, dates, integers, numbers,
booleans; a number column holding words, such as good/bad CSAT, stays text); every
other column is text. The session time zone is set to one far
from UTC, to show that the query does not depend on it.

PostgreSQL is started by this script on a socket in a temporary directory (as the
`postgres` user when run as root), and stopped at the end.
"""

import argparse
import csv
import glob
import os
import shutil
import subprocess
import sys
import tempfile

TYPES = {
    "created_at": "timestamp",
    "first_response_at": "timestamp",
    "resolved_at": "timestamp",
    "closed_at": "timestamp",
    "submitted_at": "timestamp",
    "start_date": "date",
    "end_date": "date",
    "agent_replies": "integer",
    "reopens": "integer",
    "score": "number",
    "csat": "number",
    "ces": "number",
    "nps": "number",
    "mrr": "number",
    "fcr": "boolean",
    "sla_met": "boolean",
}
SESSION_TZ = "America/Sao_Paulo"


def header(path):
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def kinds(path):
    """Column -> kind, by canonical name; number columns with words stay text."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        cols = next(reader)
        data = list(reader)
    out = {}
    for i, c in enumerate(cols):
        kind = TYPES.get(c)
        if kind == "number":
            for r in data:
                if i < len(r) and r[i] != "":
                    try:
                        float(r[i])
                    except ValueError:
                        kind = None
                        break
        out[c] = kind
    return out


def pg_type(kind):
    return {
        "timestamp": "timestamptz",
        "date": "date",
        "integer": "bigint",
        "number": "double precision",
        "boolean": "boolean",
    }.get(kind, "text")


def duck_type(kind):
    # Plain TIMESTAMP (UTC, no zone) here, TIMESTAMPTZ in Postgres: both typings.
    return {
        "timestamp": "TIMESTAMP",
        "date": "DATE",
        "integer": "BIGINT",
        "number": "DOUBLE",
        "boolean": "BOOLEAN",
    }.get(kind, "VARCHAR")


def write_rows(rows, names, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(names)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])


def run_duckdb(queries, tables):
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, path in tables:
        cols = header(path)
        kind = kinds(path)
        types = {c: duck_type(kind[c]) for c in cols}
        # Timestamps are read with their offsets into a table of their own, then
        # stored as UTC wall clock (a cast in the same statement as read_csv is pushed
        # into the reader, which then drops the offsets).
        read_types = {c: ("TIMESTAMPTZ" if t == "TIMESTAMP" else t) for c, t in types.items()}
        con.execute(
            f"CREATE TABLE {name}_read AS SELECT * FROM read_csv(?, header = true, columns = {read_types!r})",
            [path],
        )
        select = ", ".join(
            f"timezone('UTC', \"{c}\") AS \"{c}\"" if types[c] == "TIMESTAMP" else f'"{c}"'
            for c in cols
        )
        con.execute(f"CREATE TABLE {name} AS SELECT {select} FROM {name}_read")
        con.execute(f"DROP TABLE {name}_read")
    con.execute(f"SET TimeZone = '{SESSION_TZ}'")
    for query, out in queries:
        cur = con.execute(query)
        names = [d[0] for d in cur.description]
        with open(out, "w", newline="", encoding="utf-8") as f:
            write_rows(cur.fetchall(), names, f)


def postgres_bindir():
    """The server's programs: Debian's versioned folder, else where initdb is."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    sys.exit("PostgreSQL is not installed (initdb not found)")


def run_postgres(queries, tables):
    bindir = postgres_bindir()
    work = tempfile.mkdtemp(prefix="cxm-pg-")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(work, "postgres")
        os.chmod(work, 0o700)
    data = os.path.join(work, "data")
    env = dict(os.environ, PGTZ=SESSION_TZ)

    def run(cmd, **kw):
        return subprocess.run(prefix + cmd, check=True, capture_output=True, text=True, env=env, **kw)

    try:
        run([f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "cxm", "--no-sync"])
        run([f"{bindir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(work, "log"),
             "-o", f"-k {work} -c listen_addresses='' -c fsync=off", "start"])
        psql = [f"{bindir}/psql", "-h", work, "-U", "cxm", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
        script = []
        for name, path in tables:
            cols = header(path)
            kind = kinds(path)
            defs = ", ".join(f'"{c}" {pg_type(kind[c])}' for c in cols)
            copy = os.path.join(work, name + ".csv")
            shutil.copy(path, copy)
            if as_root:
                shutil.chown(copy, "postgres")
            script.append(f"CREATE TABLE {name} ({defs});")
            script.append(f"\\copy {name} FROM '{copy}' WITH (FORMAT csv, HEADER true)")
        run(psql, input="\n".join(script) + "\n")
        for query, out in queries:
            result = run(psql + ["--csv", "-P", "null="], input=query)
            with open(out, "w", encoding="utf-8") as f:
                f.write(result.stdout)
    except subprocess.CalledProcessError as e:
        sys.stderr.write(e.stderr or "")
        raise
    finally:
        subprocess.run(prefix + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       capture_output=True, env=env)
        shutil.rmtree(work, ignore_errors=True)


def run_spark(queries, tables):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.session.timeZone", SESSION_TZ)
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for name, path in tables:
        cols = header(path)
        kind_of = kinds(path)
        raw = spark.read.option("header", True).csv(path)
        exprs = []
        # Spark has no infinite times: an `infinity` of the fixtures is NULL in its table.
        finite = lambda c: f"CASE WHEN lower(`{c}`) NOT IN ('infinity', '-infinity') THEN `{c}` END"
        for c in cols:
            kind = kind_of[c]
            if kind == "timestamp":
                exprs.append(f"to_timestamp({finite(c)}) AS `{c}`")
            elif kind == "date":
                exprs.append(f"to_date({finite(c)}) AS `{c}`")
            elif kind == "integer":
                exprs.append(f"CAST(`{c}` AS BIGINT) AS `{c}`")
            elif kind == "number":
                exprs.append(f"CAST(`{c}` AS DOUBLE) AS `{c}`")
            elif kind == "boolean":
                exprs.append(f"CAST(`{c}` AS BOOLEAN) AS `{c}`")
            else:
                exprs.append(f"`{c}`")
        raw.selectExpr(*exprs).createOrReplaceTempView(name)
    for query, out in queries:
        df = spark.sql(query.strip().rstrip(";"))
        rows = [[None if v is None else (repr(v) if isinstance(v, float) else str(v)) for v in r]
                for r in df.collect()]
        with open(out, "w", newline="", encoding="utf-8") as f:
            write_rows(rows, df.columns, f)
    spark.stop()


def main():
    args = argparse.ArgumentParser(description="Run cxm's SQL on a real engine.")
    args.add_argument("engine", choices=["duckdb", "postgres", "spark"])
    args.add_argument("--table", action="append", default=[], metavar="NAME=FILE")
    args.add_argument("--query", action="append", default=[], metavar="IN.sql=OUT.csv")
    a = args.parse_args()
    tables = [t.split("=", 1) for t in a.table]
    queries = []
    for q in a.query:
        path, out = q.split("=", 1)
        with open(path, encoding="utf-8") as f:
            queries.append((f.read(), out))
    {"duckdb": run_duckdb, "postgres": run_postgres, "spark": run_spark}[a.engine](queries, tables)


if __name__ == "__main__":
    main()
