-- Right of access: the participant's program. Parameters: $program_id.
select * from programs where program_id = $program_id
