-- Refresh step: removes one program's rows from the materialized metrics_participants.
-- Parameters: $program_id.
delete from metrics_participants where program_id = $program_id
