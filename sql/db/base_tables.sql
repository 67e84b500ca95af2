-- One row per base table of a catalog's main schema, in order. Parameters: $catalog (an
-- attached database's alias, or null: the connection's own database).
select table_name from information_schema.tables
where table_schema = 'main' and table_type = 'BASE TABLE' and table_catalog = coalesce($catalog::varchar, current_database())
order by 1
