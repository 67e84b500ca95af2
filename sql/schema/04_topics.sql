-- One row per topic of a program; topic_id is unique within its program only.
create table if not exists topics (
  program_id varchar not null,
  topic_id varchar not null,
  name varchar not null,
  category varchar not null       -- onboarding | strategy | international | difficult_conversations | digital | other
)
