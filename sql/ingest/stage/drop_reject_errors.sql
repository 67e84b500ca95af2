-- Drops the CSV reader's table of rejected records (it accumulates across scans). No parameters.
drop table if exists reject_errors
