-- One row: how many programs the database holds. No parameters.
select count(*) as n from programs
