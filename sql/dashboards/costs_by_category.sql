-- One row per cost category of the cost lines that pass the filters (paying organization
-- $f_org, date in [$f_from, $f_to]): amount, cost lines, share of the filtered total.
-- Parameters: $program_id; filters $f_org, $f_from, $f_to (others unused).
select
  c.cost_category,
  sum(c.amount) as amount,
  count(*) as cost_lines,
  sum(c.amount) / nullif(sum(sum(c.amount)) over (), 0) as share
from filtered_cost_lines($program_id, $f_org::varchar, $f_from::date, $f_to::date) c
group by c.cost_category
order by amount desc, c.cost_category
