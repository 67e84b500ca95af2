-- Records one erasure in the ledger, by its keyed hash only. Parameters: $hash, $rows.
insert into erasure_ledger (subject_hash, erased_at, rows_removed) values ($hash, current_timestamp::timestamp, $rows)
