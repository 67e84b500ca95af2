-- One row per erasure recorded in the ledger: its keyed hash. No parameters.
select subject_hash from erasure_ledger
