-- One row: DuckDB's current number of threads (as text). No parameters.
select current_setting('threads')::varchar as threads
