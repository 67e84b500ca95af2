-- One row per participant erased (GDPR right to erasure), by a keyed hash only: HMAC-SHA-256
-- of program_id and participant_id under the secret in ops_secret (or BINOME_SECRET). The
-- identifiers themselves are never stored. A restore from an older backup re-applies every row.
create table if not exists erasure_ledger (
  subject_hash varchar not null,    -- hex HMAC-SHA-256 of "program_id\0participant_id"
  erased_at timestamp not null,
  rows_removed integer not null     -- how many rows the erasure removed (all tables)
);
-- One row: the secret key of the erasure ledger's hashes (hex), created on first use.
create table if not exists ops_secret (
  secret_hex varchar not null,
  created_at timestamp not null
);
