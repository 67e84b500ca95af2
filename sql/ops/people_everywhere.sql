-- One row per participant stored live or in an undo snapshot (to re-apply the ledger). No
-- parameters.
select distinct program_id, participant_id from participants
union select distinct program_id, participant_id from ops_snapshot_participants
