-- SPEC §10 monthly cohorts of 2025, measured to 2026-01-01, written independently of
-- cxm: a cohort is the customers whose first start is in that month, at age k they
-- are looked at on the first day of the (k + 1)-th month after. $SUBS is a path.
CREATE TABLE s AS
SELECT customer_id,
       start_date AS sd,
       end_date AS ed,
       mrr AS mrr
FROM read_csv('$SUBS');
CREATE TABLE firsts AS
SELECT customer_id, CAST(date_trunc('month', min(sd)) AS DATE) AS cohort
FROM s GROUP BY customer_id
HAVING min(sd) >= DATE '2025-01-01' AND min(sd) < DATE '2026-01-01';
CREATE TABLE sizes AS SELECT cohort, count(*) AS customers FROM firsts GROUP BY cohort;
CREATE TABLE ages AS
SELECT z.cohort, k AS age, CAST(z.cohort + (k + 1) * INTERVAL 1 MONTH AS DATE) AS moment
FROM sizes z, range(0, 12) r(k)
WHERE z.cohort + (k + 1) * INTERVAL 1 MONTH <= DATE '2026-01-01';
-- MRR of each cohort customer active at each age's moment.
CREATE TABLE act AS
SELECT a.cohort, a.age, f.customer_id, sum(s.mrr) AS mrr
FROM ages a
JOIN firsts f ON f.cohort = a.cohort
JOIN s ON s.customer_id = f.customer_id AND s.sd <= a.moment AND (s.ed IS NULL OR s.ed > a.moment)
GROUP BY a.cohort, a.age, f.customer_id;
CREATE TABLE cells AS
SELECT a.cohort, a.age, count(x.customer_id) AS active, coalesce(sum(x.mrr), 0) AS mrr
FROM ages a LEFT JOIN act x ON x.cohort = a.cohort AND x.age = a.age
GROUP BY a.cohort, a.age;
SELECT strftime(c.cohort, '%Y-%m') AS cohort, c.age, z.customers, c.active,
       100.0 * c.active / z.customers AS retention_pct,
       s0.mrr AS mrr_start, c.mrr,
       100.0 * c.mrr / s0.mrr AS net_mrr_retention_pct
FROM cells c
JOIN sizes z ON z.cohort = c.cohort
JOIN cells s0 ON s0.cohort = c.cohort AND s0.age = 0
ORDER BY c.cohort, c.age;
