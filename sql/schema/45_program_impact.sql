-- One row per program whose operator set a cost per voluntary departure (issue 13): the impact
-- figures' money (departures avoided × this cost, ROI). No row: no money figure, never a
-- default. Survives re-imports of the program; removed with it by a purge.
create table if not exists program_impact (
  program_id varchar not null,
  cost_per_departure decimal(18, 2) not null
);
