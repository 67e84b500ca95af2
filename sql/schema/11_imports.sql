-- One row per import attempt, written before the import starts (status 'running') and completed
-- after it, each time in its own small transaction. A row left 'running' by a process that is
-- gone is an interrupted attempt. Dry runs are not logged.
create table if not exists imports (
  import_id integer not null,
  started_at timestamp not null,
  finished_at timestamp,
  status varchar not null,        -- running | succeeded | noop | invalid | refused | failed
  paths varchar[] not null,       -- as given on the command line or to ingestExport
  files varchar,                  -- JSON: [{file, table, format, encoding, bytes, sha256}]
  checksum varchar,               -- sha256 over the files' tables and checksums: equal = identical export
  program_ids varchar[],
  row_counts varchar,             -- JSON: {table: {before, after}}
  problem_count integer,
  message varchar
)
