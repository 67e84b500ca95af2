-- One row (none before the first erasure without BINOME_SECRET): the ledger's stored key.
-- No parameters.
select secret_hex from ops_secret order by created_at limit 1
