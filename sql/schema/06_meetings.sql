-- One row per meeting of a pair; meeting_id is unique within its program only.
create table if not exists meetings (
  program_id varchar not null,
  meeting_id varchar not null,
  pair_id varchar not null,
  date date not null,
  mode varchar not null,          -- 'online' | 'offline'
  duration_minutes integer not null
)
