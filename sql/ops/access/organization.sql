-- Right of access: the participant's organization. Parameters: $program_id, $participant_id.
select o.* from organizations o join participants p on p.org_id = o.org_id
where p.program_id = $program_id and p.participant_id = $participant_id
