-- Forgets that a rebuild of the file is needed (before recording it again, or after a restore).
-- No parameters.
delete from ops_state where state_key = 'rebuild_needed_since'
