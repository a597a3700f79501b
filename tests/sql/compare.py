#!/usr/bin/env python3
"""Compare a query's result with cxm's CSV output of the same command.

    compare.py CXM.csv SQL.csv

Same header, same rows in the same order; text cells equal (empty = NULL), numbers
equal to cxm's printed figure: the query's value rounded as cxm rounds (to 4
decimals, halves away from zero) within 1e-6, or, at a rounding tie, the value
itself within 1e-10 of the tie. cxm's guard against spreadsheet formulas (a quote
before a text cell starting with = + - @) is not data and is set aside. Exit 1 with
the differences otherwise.
"""

import csv
import math
import sys


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def number(text):
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def round4(x):
    scaled = x * 10_000.0
    # Rust's f64::round: halves away from zero.
    r = math.floor(abs(scaled) + 0.5) * (1 if scaled >= 0 else -1)
    return r / 10_000.0


def unguarded(cell):
    """cxm's CSV prefixes a text cell that a spreadsheet would read as a formula with
    a quote (SPEC §6); the query's text has no such guard."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def same(cxm, sql):
    cxm = unguarded(cxm)
    if cxm == sql:
        return True
    a, b = number(cxm), number(sql)
    if a is None or b is None:
        return False
    if abs(round4(b) - a) <= 1e-6:
        return True
    scaled = b * 10_000.0
    at_tie = abs(abs(scaled - math.trunc(scaled)) - 0.5) < 1e-6
    return at_tie and abs(b - a) <= 0.5e-4 + 1e-10


def main():
    cxm, sql = rows(sys.argv[1]), rows(sys.argv[2])
    problems = []
    if cxm[:1] != sql[:1]:
        problems.append(f"header: cxm {cxm[:1]} vs query {sql[:1]}")
    if len(cxm) != len(sql):
        problems.append(f"rows: cxm {len(cxm) - 1} vs query {len(sql) - 1}")
    header = cxm[0] if cxm else []
    for i, (a, b) in enumerate(zip(cxm[1:], sql[1:]), start=1):
        for name, x, y in zip(header, a, b):
            if not same(x, y):
                problems.append(f"row {i} {a[:2]} {name}: cxm {x!r} vs query {y!r}")
    if problems:
        print("\n".join(problems[:40]))
        sys.exit(1)
    print(f"{len(cxm) - 1} rows × {len(header)} columns agree")


if __name__ == "__main__":
    main()
