-- Scalar macro: the tenure band at a program's start (issue 13), by completed years. Mirrors
-- analytics/impact/bands.ts (a test checks both agree). Parameters: hire_date, start_date.
create or replace temp macro tenure_band(hire_date, start_date) as
  case
    when date_sub('year', hire_date, start_date) < 2 then 'lt2'
    when date_sub('year', hire_date, start_date) < 5 then '2to5'
    when date_sub('year', hire_date, start_date) < 10 then '5to10'
    when date_sub('year', hire_date, start_date) < 20 then '10to20'
    else 'ge20'
  end
