-- Refresh step: removes one program's row from the materialized metrics_program_figures.
-- Parameters: $program_id.
delete from metrics_program_figures where program_id = $program_id
