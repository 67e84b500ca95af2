-- One row per import attempt, newest first. Parameters: $limit.
select import_id, started_at, finished_at, status, paths, checksum, program_ids, problem_count, message
from imports order by import_id desc limit $limit
