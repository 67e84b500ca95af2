-- One row: the name of the connection's database (its catalog). No parameters.
select current_database() as name
