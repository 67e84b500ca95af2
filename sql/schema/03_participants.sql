-- One row per participant of a program; participant_id is unique within its program only.
create table if not exists participants (
  program_id varchar not null,
  participant_id varchar not null,
  org_id varchar not null,
  role varchar not null,          -- 'mentor' | 'mentee'
  birth_year integer not null,
  gender varchar,                 -- 'F' | 'M' | 'X' | null
  job_level integer,              -- 1..5
  city varchar,
  languages varchar[],            -- null when the export gives none
  topics varchar[],               -- topic_ids offered (mentor) or sought (mentee)
  joined_at date not null,
  trained_at date
)
