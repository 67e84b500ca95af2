-- Undo snapshots: one row per snapshot of one program, taken just before an import replaced it
-- (or a deletion removed it). The program's rows are kept in ops_snapshot_<table> under the same
-- snapshot_id. had_program = false: the import added the program, so undoing it deletes it.
create table if not exists ops_snapshots (
  snapshot_id integer not null,
  program_id varchar not null,
  taken_at timestamp not null,
  reason varchar not null,          -- 'import' | 'delete'
  had_program boolean not null,
  import_id integer,                -- the import this snapshot precedes, when known
  row_counts varchar                -- JSON: {table: rows}
);
create table if not exists ops_snapshot_programs as select 0::integer as snapshot_id, * from programs limit 0;
create table if not exists ops_snapshot_participants as select 0::integer as snapshot_id, * from participants limit 0;
create table if not exists ops_snapshot_topics as select 0::integer as snapshot_id, * from topics limit 0;
create table if not exists ops_snapshot_pairs as select 0::integer as snapshot_id, * from pairs limit 0;
create table if not exists ops_snapshot_meetings as select 0::integer as snapshot_id, * from meetings limit 0;
create table if not exists ops_snapshot_pair_topics as select 0::integer as snapshot_id, * from pair_topics limit 0;
create table if not exists ops_snapshot_evaluations as select 0::integer as snapshot_id, * from evaluations limit 0;
create table if not exists ops_snapshot_costs as select 0::integer as snapshot_id, * from costs limit 0;
create table if not exists ops_snapshot_workforce as select 0::integer as snapshot_id, * from workforce limit 0;
