-- Table macro: one row per pair of mart_pair_status(p_program_id, p_as_of) (every column) that
-- passes the dashboards' URL filters — the pairs filtered_metrics_pairs keeps, so that every
-- page reads the one definition of "the filtered pairs" (sql/marts/filtered_pairs.sql).
-- Parameters: p_program_id, p_as_of (DATE), then the filters as filtered_metrics_pairs takes
-- them: p_cohort, p_from, p_to, p_role, p_org, p_generation.
create or replace temp macro filtered_pair_status(p_program_id, p_as_of, p_cohort, p_from, p_to, p_role, p_org, p_generation) as table
select ps.*
from mart_pair_status(p_program_id, p_as_of) ps
semi join filtered_metrics_pairs(p_program_id, p_cohort, p_from, p_to, p_role, p_org, p_generation) fp
  on fp.pair_id = ps.pair_id
