-- One row per operations flag, e.g. 'rebuild_needed_since': rows were erased while the server
-- held the file, so the deleted bytes stay in it until `npm run erase -- compact` rebuilds it.
create table if not exists ops_state (
  state_key varchar not null,
  state_value varchar not null
);
