-- Audit entries of a program that quote an erased identifier (e.g. a filter) keep their who
-- and when, not the identifier. Parameters: $program_id, $participant_id.
update audit_log set details = '{"redacted":"erasure"}'
where contains(details::varchar, $participant_id) and program_id = $program_id
