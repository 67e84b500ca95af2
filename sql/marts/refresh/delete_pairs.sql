-- Refresh step: removes one program's rows from the materialized metrics_pairs.
-- Parameters: $program_id.
delete from metrics_pairs where program_id = $program_id
