-- Adds one erasure of the replaced file's ledger, unless the restored one has it. Parameters:
-- $subject_hash, $erased_at, $rows_removed.
insert into erasure_ledger select $subject_hash, $erased_at::timestamp, $rows_removed
where not exists (select 1 from erasure_ledger where subject_hash = $subject_hash)
