-- One row per column of the database's own tables (schema main), in table and column order.
-- No parameters.
select table_name, column_name, data_type, is_nullable
from information_schema.columns
where table_schema = 'main' and table_catalog = current_database()
order by table_name, ordinal_position
