-- One row: how many erasures the ledger holds. No parameters.
select count(*) as n from erasure_ledger
