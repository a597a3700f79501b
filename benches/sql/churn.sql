-- Subscription churn for each month of 2025 (SPEC §5), typed read_csv.
-- Active at d: start_date <= d and (end_date > d or end_date empty).
WITH s AS (SELECT customer_id, start_date AS sd, end_date AS ed FROM read_csv('$SUBS')),
b AS (
  SELECT CAST(m AS DATE) AS d0, CAST(m + INTERVAL 1 MONTH AS DATE) AS d1
  FROM generate_series(TIMESTAMP '2025-01-01', TIMESTAMP '2025-12-01', INTERVAL 1 MONTH) t(m)
),
pts AS (SELECT d0 AS d FROM b UNION SELECT d1 FROM b),
st AS (
  SELECT DISTINCT p.d, s.customer_id
  FROM pts p JOIN s ON s.sd <= p.d AND (s.ed IS NULL OR s.ed > p.d)
),
firsts AS (SELECT customer_id, min(sd) AS fs FROM s GROUP BY customer_id)
SELECT strftime(b.d0, '%Y-%m') AS period,
  count(a.customer_id) AS customers_start,
  count(a.customer_id) FILTER (WHERE c.customer_id IS NULL) AS churned,
  (SELECT count(*) FROM firsts f WHERE f.fs >= b.d0 AND f.fs < b.d1) AS new_customers
FROM b
LEFT JOIN st a ON a.d = b.d0
LEFT JOIN st c ON c.d = b.d1 AND c.customer_id = a.customer_id
GROUP BY b.d0, b.d1
ORDER BY b.d0;
