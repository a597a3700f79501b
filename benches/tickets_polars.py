"""Every ticket metric of SPEC §5 by team as one lazy polars (Python) query, the same
definitions as tests/fixtures/crosscheck/tickets.sql, for benches/compare.sh.
`python3 tickets_polars.py TICKETS.csv` prints the result as CSV."""
import sys

import polars as pl

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def epoch(column):
    return pl.col(column).str.strptime(pl.Datetime("ms", "UTC"), FORMAT).dt.epoch("ms") / 1000


def non_negative(expr):
    return pl.when(expr >= 0).then(expr)


rows = pl.scan_csv(sys.argv[1], infer_schema=False).select(
    pl.col("team"),
    non_negative(epoch("first_response_at") - epoch("created_at")).alias("frt"),
    non_negative(epoch("resolved_at") - epoch("created_at")).alias("res"),
    pl.col("agent_replies").cast(pl.Int64, strict=False).alias("replies"),
    pl.col("reopens").cast(pl.Int64, strict=False).alias("reopens"),
)
resolved = pl.col("res").is_not_null()
result = (
    rows.group_by("team")
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
    )
    .sort("team")
    .collect()
)
sys.stdout.write(result.write_csv())
