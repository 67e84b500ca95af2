-- Records how an import attempt ended. Parameters: $id, $status, $files (JSON), $checksum,
-- $programs (JSON list), $counts (JSON), $problems, $message.
update imports set finished_at = current_timestamp::timestamp, status = $status, files = $files, checksum = $checksum,
  program_ids = $programs::varchar[], row_counts = $counts, problem_count = $problems, message = $message
where import_id = $id
