-- One row: the id of the next import attempt. No parameters.
select coalesce(max(import_id), 0) + 1 as id from imports
