-- Removes an import attempt from the log: a mapped import whose export had problems, imported
-- again by the path that reports them in the user's words. Parameter: $id.
delete from imports where import_id = $id
