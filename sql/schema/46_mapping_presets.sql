-- Mapping presets saved by an operator (issue #17): a named mapping (the JSON of
-- docs/export-format.md, "Bring your own layout"), with the headers it was made for, so that
-- the next files with the same headers propose it. Included in backups like every table.
create table if not exists mapping_presets (
  name varchar not null primary key,
  mapping varchar not null,
  headers_key varchar,
  created_at timestamp not null,
  created_by varchar not null,
  updated_at timestamp not null,
  updated_by varchar not null
);
