-- Right of access: the undo snapshots holding the participant, with their row counts.
-- Parameters: $program_id, $participant_id.
select snapshot_id, count(*) as rows from ops_snapshot_participants
where program_id = $program_id and participant_id = $participant_id
group by all order by 1
