-- Right of access: the pair_topics of the participant's pairs. Parameters: $program_id, $participant_id.
select * from pair_topics
where program_id = $program_id
  and pair_id in (select pair_id from pairs where program_id = $program_id and (mentor_id = $participant_id or mentee_id = $participant_id))
order by pair_id, topic_id
