-- `cxm customers` as a DuckDB user writes it (typed, auto-detecting read_csv): the
-- same definitions as tests/fixtures/crosscheck/customers.sql, for the first half of
-- 2025 with a 90-day horizon. $T, $S, $U are paths.
CREATE VIEW t AS SELECT * FROM read_csv('$T');
CREATE VIEW s AS SELECT * FROM read_csv('$S');
CREATE VIEW u AS
SELECT customer_id, CAST(start_date AS DATE) AS sd, CAST(end_date AS DATE) AS ed,
       CAST(mrr AS DOUBLE) AS mrr
FROM read_csv('$U');
CREATE VIEW tk AS
SELECT customer_id, CAST(created_at AS TIMESTAMPTZ) AS c,
       CAST(first_response_at AS TIMESTAMPTZ) AS f,
       CAST(resolved_at AS TIMESTAMPTZ) AS r,
       CAST(reopens AS INTEGER) AS reopens
FROM t
WHERE CAST(created_at AS TIMESTAMPTZ) >= TIMESTAMPTZ '2025-01-01 00:00:00+00'
  AND CAST(created_at AS TIMESTAMPTZ) < TIMESTAMPTZ '2025-07-01 00:00:00+00';
CREATE VIEW service AS
SELECT customer_id,
       count(*) AS tickets,
       quantile_cont(epoch(f) - epoch(c), 0.5) FILTER (WHERE f >= c) / 3600 AS first_response_median_hours,
       quantile_cont(epoch(r) - epoch(c), 0.5) FILTER (WHERE r >= c) / 3600 AS resolution_median_hours,
       count(*) FILTER (WHERE r >= c AND reopens > 0) AS reopened_tickets
FROM tk GROUP BY customer_id;
CREATE VIEW sv AS
SELECT customer_id, survey, CAST(score AS DOUBLE) AS score, CAST(submitted_at AS TIMESTAMPTZ) AS ts
FROM s
WHERE CAST(submitted_at AS TIMESTAMPTZ) >= TIMESTAMPTZ '2025-01-01 00:00:00+00'
  AND CAST(submitted_at AS TIMESTAMPTZ) < TIMESTAMPTZ '2025-07-01 00:00:00+00';
CREATE VIEW voice AS
SELECT customer_id,
       count(*) FILTER (WHERE survey = 'csat') AS csat_responses,
       100.0 * count(*) FILTER (WHERE survey = 'csat' AND score >= 4)
             / nullif(count(*) FILTER (WHERE survey = 'csat'), 0) AS csat_pct,
       first(score ORDER BY ts DESC, score DESC) FILTER (WHERE survey = 'nps') AS last_nps
FROM sv GROUP BY customer_id;
CREATE VIEW outcome AS
SELECT customer_id,
       coalesce(sum(mrr) FILTER (WHERE sd <= DATE '2025-07-01' AND (ed IS NULL OR ed > DATE '2025-07-01')), 0) AS mrr,
       CASE WHEN bool_or(sd <= DATE '2025-07-01' AND (ed IS NULL OR ed > DATE '2025-07-01'))
            THEN NOT bool_or(sd <= DATE '2025-09-29' AND (ed IS NULL OR ed > DATE '2025-09-29'))
       END AS churned
FROM u
GROUP BY customer_id
HAVING bool_or(sd < DATE '2025-07-01' AND (ed IS NULL OR ed > DATE '2025-01-01'));
SELECT coalesce(a.customer_id, b.customer_id, c.customer_id) AS customer_id,
       coalesce(a.tickets, 0) AS tickets, a.first_response_median_hours, a.resolution_median_hours,
       coalesce(a.reopened_tickets, 0) AS reopened_tickets,
       coalesce(b.csat_responses, 0) AS csat_responses, b.csat_pct, b.last_nps,
       c.mrr, CAST(c.churned AS INTEGER) AS churned
FROM service a
FULL JOIN voice b ON b.customer_id = a.customer_id
FULL JOIN outcome c ON c.customer_id = coalesce(a.customer_id, b.customer_id)
WHERE coalesce(a.customer_id, b.customer_id, c.customer_id) IS NOT NULL
ORDER BY 1;
