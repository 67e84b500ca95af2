-- One row: the DuckDB version. No parameters.
select version() as version
