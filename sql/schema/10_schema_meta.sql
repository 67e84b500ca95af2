-- One row: the schema version of this database file.
create table if not exists schema_meta (
  schema_version integer not null,
  created_at timestamp not null default current_timestamp
)
