-- Clears a program's cost per departure (issue 13). Parameters: $program_id.
delete from program_impact where program_id = $program_id
