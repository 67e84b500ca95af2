-- Records the file's schema version. Parameters: $v.
insert into schema_meta (schema_version) values ($v)
