-- The impact figures' counts (issue 13, docs/metrics.md "Impact"): one row per group of the
-- program's workforce with the same outcome, side, role, cell, time and status, in that
-- order (the table macro workforce_groups defines them). Parameters: $program_id,
-- $horizon_months.
select * from workforce_groups($program_id, $horizon_months)
order by 1, 2, 3, 4, 5, 6
