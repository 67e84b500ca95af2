-- Stores a ledger key taken from the replaced file. Parameters: $secret_hex, $created_at.
insert into ops_secret values ($secret_hex, $created_at::timestamp)
