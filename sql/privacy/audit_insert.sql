-- Records one run of the intruder audit. Parameters: $program_id, $k, $audited (JSON list of
-- audience/organization pairs), $views, $facts, $hidden_cells, $findings, $cpu_ms, $details (JSON).
insert into privacy_audits (program_id, run_at, k, audited, views, facts, hidden_cells, findings, cpu_ms, details)
values ($program_id, now()::timestamp, $k, $audited, $views, $facts, $hidden_cells, $findings, $cpu_ms, $details)
