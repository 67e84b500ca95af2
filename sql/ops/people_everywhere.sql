-- One row per participant (or person of a workforce, issue 13) stored live or in an undo snapshot (to re-apply the ledger). No
-- parameters.
select distinct program_id, participant_id from participants
union select distinct program_id, participant_id from ops_snapshot_participants
union select distinct program_id, person_id from workforce
union select distinct program_id, person_id from ops_snapshot_workforce
