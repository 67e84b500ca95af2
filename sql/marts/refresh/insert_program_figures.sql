-- Refresh step: the program's as_of-independent figures, from mart_program_figures (run
-- after metrics_participants and metrics_pairs are refreshed). Parameters: $program_id.
insert into metrics_program_figures select * from mart_program_figures($program_id)
