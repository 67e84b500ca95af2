-- Records the start of an import attempt. Parameters: $id, $paths (JSON list of the folders).
insert into imports (import_id, started_at, status, paths) values ($id, current_timestamp::timestamp, 'running', $paths::varchar[])
