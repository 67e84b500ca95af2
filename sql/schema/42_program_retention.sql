-- One row per program whose retention period differs from the default (months after its end
-- date before `npm run retention -- purge` removes it). Survives re-imports of the program.
create table if not exists program_retention (
  program_id varchar not null,
  retention_months integer not null
);
