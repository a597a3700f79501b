-- MRR movements per month of 2025 as a DuckDB user writes them: typed read_csv, each
-- customer's MRR at every month boundary, then d0 against d1.
CREATE TABLE s AS SELECT * FROM read_csv('$SUBS');
CREATE TABLE b AS
SELECT CAST(m AS DATE) AS d0, CAST(m + INTERVAL 1 MONTH AS DATE) AS d1
FROM generate_series(TIMESTAMP '2025-01-01', TIMESTAMP '2025-12-01', INTERVAL 1 MONTH) t(m);
CREATE TABLE st AS
SELECT p.d, s.customer_id, sum(s.mrr) AS mrr
FROM (SELECT d0 AS d FROM b UNION SELECT d1 FROM b) p
JOIN s ON s.start_date <= p.d AND (s.end_date IS NULL OR s.end_date > p.d)
GROUP BY ALL;
CREATE TABLE firsts AS SELECT customer_id, min(start_date) AS fs FROM s GROUP BY ALL;
SELECT strftime(d0, '%Y-%m') AS period,
       coalesce(sum(m0), 0) AS mrr_start,
       coalesce(sum(m1), 0) AS mrr_end,
       coalesce(sum(m1) FILTER (WHERE m0 IS NULL AND fs >= d0), 0) AS mrr_new,
       coalesce(sum(m1) FILTER (WHERE m0 IS NULL AND fs < d0), 0) AS mrr_reactivation,
       coalesce(sum(greatest(m1 - m0, 0)), 0) AS mrr_expansion,
       coalesce(sum(greatest(m0 - m1, 0)), 0) AS mrr_contraction,
       coalesce(sum(m0) FILTER (WHERE m1 IS NULL), 0) AS mrr_lost,
       count(*) FILTER (WHERE m0 IS NULL AND fs < d0) AS reactivated_customers
FROM (SELECT b.d0, st.customer_id, st.mrr AS m0 FROM b JOIN st ON st.d = b.d0) a
FULL JOIN (SELECT b.d0, st.customer_id, st.mrr AS m1 FROM b JOIN st ON st.d = b.d1) c
  USING (d0, customer_id)
JOIN firsts USING (customer_id)
GROUP BY d0 ORDER BY d0;
