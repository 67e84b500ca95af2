-- Refresh step: one row per participant of the program, from mart_participants.
-- Parameters: $program_id.
insert into metrics_participants select * from mart_participants($program_id)
