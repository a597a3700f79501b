"""Every ticket metric of SPEC §5 by a column (default team) as one lazy polars
(Python) query on the streaming engine, the same definitions as benches/sql/tickets.sql,
for benches/compare.sh and benches/groups.sh. `python3 tickets_polars.py TICKETS.csv
[BY[,BY…]]` prints the result as CSV."""
import sys

import polars as pl

BY = (sys.argv[2] if len(sys.argv) > 2 else "team").split(",")


def epoch(column):
    return pl.col(column).dt.epoch("ms") / 1000


def non_negative(expr):
    return pl.when(expr >= 0).then(expr)


rows = pl.scan_csv(sys.argv[1], try_parse_dates=True).select(
    *[pl.col(c) for c in BY],
    non_negative(epoch("first_response_at") - epoch("created_at")).alias("frt"),
    non_negative(epoch("resolved_at") - epoch("created_at")).alias("res"),
    pl.col("agent_replies").cast(pl.Int64, strict=False).alias("replies"),
    pl.col("reopens").cast(pl.Int64, strict=False).alias("reopens"),
)
resolved = pl.col("res").is_not_null()
result = (
    rows.group_by(BY)
    .agg(
        pl.len().alias("tickets"),
        pl.col("frt").count().alias("responded"),
        pl.col("res").count().alias("resolved"),
        (pl.len() - pl.col("res").count()).alias("open"),
        (pl.col("frt").mean() / 3600).alias("first_response_mean_hours"),
        (pl.col("frt").quantile(0.5, "linear") / 3600).alias("first_response_median_hours"),
        (pl.col("frt").quantile(0.9, "linear") / 3600).alias("first_response_p90_hours"),
        (pl.col("res").mean() / 3600).alias("resolution_mean_hours"),
        (pl.col("res").quantile(0.5, "linear") / 3600).alias("resolution_median_hours"),
        (pl.col("res").quantile(0.9, "linear") / 3600).alias("resolution_p90_hours"),
        (
            100
            * (resolved & (pl.col("replies") == 1) & (pl.col("reopens") == 0)).sum()
            / resolved.sum()
        ).alias("fcr_pct"),
        (100 * (resolved & (pl.col("reopens") > 0)).sum() / resolved.sum()).alias("reopen_pct"),
        (100 * (pl.col("frt") <= 3600).sum() / pl.col("frt").count()).alias("sla_pct"),
        pl.col("replies").filter(resolved).mean().alias("replies_per_resolution"),
    )
    .sort(BY)
    .collect(engine="streaming")
)
sys.stdout.write(result.write_csv())
