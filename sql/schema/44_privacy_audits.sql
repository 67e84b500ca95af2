-- One row per run of the intruder audit on a program (analytics/privacy/run.server.ts): when,
-- with which k, which audiences and organizations were audited, how many views, figures and
-- sensitive hidden cells it checked, how many cells it found too narrow (0 = the program's
-- hidden figures stay hidden across every view), and the findings (views and figure names, no
-- personal data). Shown on /admin/programs; deleted with the program.
create table if not exists privacy_audits (
  program_id varchar not null,
  run_at timestamp not null,
  k integer not null,
  audited varchar not null,
  views integer not null,
  facts integer not null,
  hidden_cells integer not null,
  findings integer not null,
  cpu_ms double not null,
  details varchar not null
);
