-- One row per month ('YYYY-MM') and cost category of the cost lines that pass the filters
-- (paying organization $f_org, date in [$f_from, $f_to]): amount.
-- Parameters: $program_id; filters $f_org, $f_from, $f_to (others unused).
select
  strftime(c.spent_on, '%Y-%m') as month,
  c.cost_category,
  sum(c.amount) as amount
from filtered_cost_lines($program_id, $f_org::varchar, $f_from::date, $f_to::date) c
group by all
order by month, c.cost_category
