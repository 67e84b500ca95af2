-- One row per currency that has a market price band of mentoring per mentored person
-- (DOMAIN.md): the band's low and high ends, in that currency. The one place the band is
-- written; the report and the costs page join it on the program's currency (no row: no band,
-- null). No parameters.
create or replace temp view market_bands as
select * from (values
  ('EUR', 600, 3600)
) as bands(currency, low_per_mentee, high_per_mentee)
