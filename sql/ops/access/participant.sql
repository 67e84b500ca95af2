-- Right of access: the participant's row. Parameters: $program_id, $participant_id.
select * from participants where program_id = $program_id and participant_id = $participant_id
