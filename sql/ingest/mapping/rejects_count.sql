-- How many records of the CSV file just read DuckDB rejected (too many or too few fields, a bad
-- quote, …): a mapped import then takes the path that reports them.
select count(*) as n from reject_errors
