-- One row per month ('YYYY-MM') and cost category of the cost lines that pass the filters
-- (paying organization $f_org, date in [$f_from, $f_to]): amount.
-- Parameters: $program_id; filters $f_org, $f_from, $f_to (others unused).
select
  strftime(c.spent_on, '%Y-%m') as month,
  c.cost_category,
  sum(c.amount) as amount
from stg_costs c
where c.program_id = $program_id
  and ($f_org::varchar is null or c.org_id = $f_org::varchar)
  and ($f_from::date is null or c.spent_on >= $f_from::date)
  and ($f_to::date is null or c.spent_on <= $f_to::date)
group by all
order by month, c.cost_category
