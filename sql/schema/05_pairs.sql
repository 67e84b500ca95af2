-- One row per pair (binôme) of a program; pair_id is unique within its program only.
create table if not exists pairs (
  program_id varchar not null,
  pair_id varchar not null,
  mentor_id varchar not null,
  mentee_id varchar not null,
  matched_at date not null,
  ended_at date,
  status varchar not null,        -- 'active' | 'completed' | 'ended_early'
  end_reason varchar,
  match_score double,             -- 0..1
  reverse_since date              -- the pair switched to reverse mentoring on this day
)
