-- Right of access: the meetings of the participant's pairs. Parameters: $program_id, $participant_id.
select * from meetings
where program_id = $program_id
  and pair_id in (select pair_id from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))
order by pair_id, date, meeting_id
