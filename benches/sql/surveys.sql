-- Survey metrics by the team of each response's ticket (a left join on ticket_id), as
-- a DuckDB user writes them: typed, auto-detecting read_csv of both files.
WITH t AS (SELECT ticket_id, team FROM read_csv('$TICKETS')),
r AS (
  SELECT t.team, lower(s.survey) AS kind, s.score
  FROM read_csv('$SURVEYS') s LEFT JOIN t ON s.ticket_id = t.ticket_id
)
SELECT team,
  count(*) FILTER (WHERE kind = 'csat') AS csat_responses,
  100.0 * count(*) FILTER (WHERE kind = 'csat' AND score >= 4)
    / count(*) FILTER (WHERE kind = 'csat') AS csat_pct,
  avg(score) FILTER (WHERE kind = 'csat') AS csat_mean,
  count(*) FILTER (WHERE kind = 'ces') AS ces_responses,
  avg(score) FILTER (WHERE kind = 'ces') AS ces_mean,
  100.0 * count(*) FILTER (WHERE kind = 'ces' AND score >= 5)
    / count(*) FILTER (WHERE kind = 'ces') AS ces_easy_pct,
  count(*) FILTER (WHERE kind = 'nps') AS nps_responses,
  count(*) FILTER (WHERE kind = 'nps' AND score >= 9) AS promoters,
  count(*) FILTER (WHERE kind = 'nps' AND score BETWEEN 7 AND 8) AS passives,
  count(*) FILTER (WHERE kind = 'nps' AND score <= 6) AS detractors,
  100.0 * (count(*) FILTER (WHERE kind = 'nps' AND score >= 9)
    - count(*) FILTER (WHERE kind = 'nps' AND score <= 6))
    / count(*) FILTER (WHERE kind = 'nps') AS nps
FROM r
GROUP BY team
ORDER BY team;
