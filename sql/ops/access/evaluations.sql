-- Right of access: the evaluations of the participant's pairs. Parameters: $program_id, $participant_id.
select * from evaluations
where program_id = $program_id
  and pair_id in (select pair_id from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))
order by pair_id, phase, respondent
