"""Every ticket metric of SPEC §5 by team in pandas, the same definitions as
tests/fixtures/crosscheck/tickets.sql, for benches/compare.sh.
`python3 tickets_pandas.py TICKETS.csv` prints the result as CSV."""
import sys

import pandas as pd

FORMAT = "ISO8601"
COLUMNS = ["created_at", "first_response_at", "resolved_at", "team", "agent_replies", "reopens"]

df = pd.read_csv(sys.argv[1], dtype=str, usecols=COLUMNS)
created = pd.to_datetime(df["created_at"], format=FORMAT, utc=True)


def seconds_since_created(column):
    s = (pd.to_datetime(df[column], format=FORMAT, utc=True) - created).dt.total_seconds()
    return s.where(s >= 0)


frt = seconds_since_created("first_response_at")
res = seconds_since_created("resolved_at")
replies = pd.to_numeric(df["agent_replies"], errors="coerce")
reopens = pd.to_numeric(df["reopens"], errors="coerce")
resolved = res.notna()
v = pd.DataFrame(
    {
        "team": df["team"],
        "frt": frt,
        "res": res,
        "resolved": resolved,
        "first_contact": resolved & (replies == 1) & (reopens == 0),
        "reopened": resolved & (reopens > 0),
        "in_sla": frt <= 3600,
    }
)
g = v.groupby("team", sort=True)
out = pd.DataFrame(
    {
        "tickets": g.size(),
        "responded": g["frt"].count(),
        "resolved": g["res"].count(),
        "open": g.size() - g["res"].count(),
        "first_response_mean_hours": g["frt"].mean() / 3600,
        "first_response_median_hours": g["frt"].median() / 3600,
        "first_response_p90_hours": g["frt"].quantile(0.9) / 3600,
        "resolution_mean_hours": g["res"].mean() / 3600,
        "resolution_median_hours": g["res"].median() / 3600,
        "resolution_p90_hours": g["res"].quantile(0.9) / 3600,
        "fcr_pct": 100 * g["first_contact"].sum() / g["resolved"].sum(),
        "reopen_pct": 100 * g["reopened"].sum() / g["resolved"].sum(),
        "sla_pct": 100 * g["in_sla"].sum() / g["frt"].count(),
    }
)
out.to_csv(sys.stdout)
