-- Forgets the recorded schema version (before a migration step records its own). No parameters.
delete from schema_meta
