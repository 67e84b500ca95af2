-- One row: how many versions schema_meta records (0 for a new file). No parameters.
select count(*) as n from schema_meta
