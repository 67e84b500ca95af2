-- One row: the number of user accounts. No parameters.
select count(*) as n from users
