-- One row per erasure of the ledger, as text (kept across a restore). No parameters.
select subject_hash, erased_at::varchar as erased_at, rows_removed from erasure_ledger
