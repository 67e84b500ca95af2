-- One row per evaluation answer (one respondent, one phase) of a pair.
create table if not exists evaluations (
  program_id varchar not null,
  pair_id varchar not null,
  respondent varchar not null,    -- 'mentor' | 'mentee'
  phase varchar not null,         -- 'midpoint' | 'final'
  submitted_at date not null,
  satisfaction integer not null,  -- 1..5
  chemistry integer not null,     -- 1..5
  would_continue boolean not null,
  comment varchar
)
