-- One row per program. Replaced as a whole by each import of the program.
create table if not exists programs (
  program_id varchar not null,
  name varchar not null,
  kind varchar not null,          -- 'intra' | 'inter'
  start_date date not null,
  end_date date not null,
  currency varchar not null,      -- ISO 4217, e.g. 'EUR'
  previous_program_id varchar     -- the previous edition of the same program, or null (schema version 3)
)
