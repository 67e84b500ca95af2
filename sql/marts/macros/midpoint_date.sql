-- Scalar macro: a program's midpoint date, start_date + ⌊(end_date − start_date) / 2⌋ days.
-- Parameters: start_date, end_date (DATE).
create or replace temp macro midpoint_date(start_date, end_date) as
  start_date + ((end_date - start_date) // 2)::integer
