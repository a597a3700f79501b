-- The ticket metrics of SPEC §5 grouped by $BY, as a DuckDB user writes them: a typed,
-- auto-detecting read_csv (no casts), then one aggregate.
SET TimeZone = 'UTC';
WITH v AS (
  SELECT $BY AS g,
    CASE WHEN first_response_at >= created_at
      THEN epoch(first_response_at) - epoch(created_at) END AS frt,
    CASE WHEN resolved_at >= created_at
      THEN epoch(resolved_at) - epoch(created_at) END AS res,
    agent_replies AS replies, reopens
  FROM read_csv('$TICKETS')
)
SELECT g,
  count(*) AS tickets,
  count(frt) AS responded,
  count(res) AS resolved,
  count(*) - count(res) AS open,
  avg(frt) / 3600 AS first_response_mean_hours,
  quantile_cont(frt, 0.5) / 3600 AS first_response_median_hours,
  quantile_cont(frt, 0.9) / 3600 AS first_response_p90_hours,
  avg(res) / 3600 AS resolution_mean_hours,
  quantile_cont(res, 0.5) / 3600 AS resolution_median_hours,
  quantile_cont(res, 0.9) / 3600 AS resolution_p90_hours,
  100.0 * count(*) FILTER (WHERE res IS NOT NULL AND replies = 1 AND reopens = 0)
    / count(*) FILTER (WHERE res IS NOT NULL) AS fcr_pct,
  100.0 * count(*) FILTER (WHERE res IS NOT NULL AND reopens > 0)
    / count(*) FILTER (WHERE res IS NOT NULL) AS reopen_pct,
  100.0 * count(*) FILTER (WHERE frt <= 3600) / count(frt) AS sla_pct,
  avg(replies) FILTER (WHERE res IS NOT NULL) AS replies_per_resolution
FROM v
GROUP BY g
ORDER BY g;
