-- Refresh step: removes one program's rows from the materialized metrics_month_groups.
-- Parameters: $program_id.
delete from metrics_month_groups where program_id = $program_id
