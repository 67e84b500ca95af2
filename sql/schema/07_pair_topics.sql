-- One row per topic targeted by a pair.
create table if not exists pair_topics (
  program_id varchar not null,
  pair_id varchar not null,
  topic_id varchar not null,
  targeted_at date,
  acquired_at date,               -- the day the mentee marked the topic acquired
  rating integer                  -- 1..5
)
