-- One row per ledger key, as text (kept across a restore). No parameters.
select secret_hex, created_at::varchar as created_at from ops_secret
