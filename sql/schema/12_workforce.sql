-- One row per employee of a participating organization employed on a program's start date
-- (the HR extract of the eligible population, issue 13): participants (person_id =
-- participant_id) and non-participants alike. Pseudonymous: never a name or an e-mail.
create table if not exists workforce (
  program_id varchar not null,
  person_id varchar not null,
  org_id varchar not null,
  birth_year integer not null,
  hire_date date not null,
  job_level integer,              -- 1..5
  gender varchar,                 -- 'F' | 'M' | 'X' | null
  left_at date,                   -- null: still employed on observed_until
  leave_reason varchar,           -- voluntary | involuntary | retirement | other (when left_at)
  promoted_at date,               -- first promotion on or after the program's start
  observed_until date not null    -- the day the extract was taken
)
