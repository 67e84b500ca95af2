-- Scalar macro: the generation key of a birth year. Mirrors analytics/domain/generations.ts
-- (a test checks both agree for every birth year 1930–2010). Parameters: birth_year.
create or replace temp macro generation_key(birth_year) as
  case
    when birth_year <= 1964 then 'boomers'
    when birth_year <= 1980 then 'gen_x'
    when birth_year <= 1996 then 'millennials'
    else 'gen_z'
  end
