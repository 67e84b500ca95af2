-- Saves a mapping preset, replacing one of the same name. Parameters: $name, $mapping (JSON
-- text), $headers_key, $user_id.
insert into mapping_presets (name, mapping, headers_key, created_at, created_by, updated_at, updated_by)
values ($name, $mapping, $headers_key, current_timestamp::timestamp, $user_id, current_timestamp::timestamp, $user_id)
on conflict (name) do update set mapping = excluded.mapping, headers_key = excluded.headers_key,
  updated_at = excluded.updated_at, updated_by = excluded.updated_by
