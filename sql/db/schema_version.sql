-- One row: the file's schema version (null when schema_meta is empty). No parameters.
select max(schema_version) as v from schema_meta
