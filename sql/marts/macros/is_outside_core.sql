-- Scalar macro: whether an age at the program's start lies outside the 30–50 core. Mirrors
-- analytics/domain/generations.ts. Parameters: age_years.
create or replace temp macro is_outside_core(age_years) as (age_years < 30 or age_years > 50)
