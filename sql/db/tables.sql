-- One row per table or view of the database itself (schema main). No parameters.
select table_name from information_schema.tables where table_schema = 'main' and table_catalog = current_database()
