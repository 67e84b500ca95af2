-- Right of access: the person's row of the program's workforce (issue 13), if any.
-- Parameters: $program_id, $participant_id.
select * from workforce where program_id = $program_id and person_id = $participant_id
