-- The previous edition of a program (programs.previous_program_id, schema version 3), or no
-- row when the program does not exist. Parameters: $program_id.
select previous_program_id::varchar as previous_program_id
from programs
where program_id = $program_id
