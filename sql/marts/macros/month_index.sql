-- Scalar macro: a calendar month as one integer (year × 12 + month), so that month spans
-- are plain subtractions. Parameters: d (DATE).
create or replace temp macro month_index(d) as year(d) * 12 + month(d)
