-- Stores the ledger's key, made once. Parameters: $secret (hex).
insert into ops_secret (secret_hex, created_at) values ($secret, current_timestamp::timestamp)
