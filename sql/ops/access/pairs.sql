-- Right of access: the participant's pairs. Parameters: $program_id, $participant_id.
select * from pairs
where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id)
order by pair_id
