-- Drops the CSV reader's table of scans (it accumulates across scans). No parameters.
drop table if exists reject_scans
