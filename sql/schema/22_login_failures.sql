-- One row per failed sign-in, per throttling key: 'account:<username>' and 'ip:<address>'.
-- Append-only so that concurrent failures never race; rows older than a day are pruned.
create table if not exists login_failures (
  throttle_key varchar not null,
  failed_at timestamp not null
)
