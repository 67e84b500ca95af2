-- One row per cost line of a program.
create table if not exists costs (
  program_id varchar not null,
  org_id varchar,                 -- the paying organization, when known
  date date not null,
  category varchar not null,      -- subscription | training | events | platform | other
  amount decimal(18, 2) not null,
  currency varchar not null
)
