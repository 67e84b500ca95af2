-- One row per program with at least one intruder audit: its latest run (when, k, how many
-- findings, views, sensitive cells). The admin programs page. Parameters: none.
select program_id, strftime(run_at, '%Y-%m-%d %H:%M') as run_at, k, findings, views, hidden_cells, audited
from privacy_audits
qualify row_number() over (partition by program_id order by run_at desc) = 1
order by program_id
