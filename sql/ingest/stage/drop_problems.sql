-- Drops the problems table of the checks (analytics/ingest/checks.server.ts). No parameters.
drop table if exists ingest_problems
