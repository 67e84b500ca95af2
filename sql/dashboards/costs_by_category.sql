-- One row per cost category of the cost lines that pass the filters (paying organization
-- $f_org, date in [$f_from, $f_to]): amount, cost lines, share of the filtered total.
-- Parameters: $program_id; filters $f_org, $f_from, $f_to (others unused).
select
  c.cost_category,
  sum(c.amount) as amount,
  count(*) as cost_lines,
  sum(c.amount) / nullif(sum(sum(c.amount)) over (), 0) as share
from stg_costs c
where c.program_id = $program_id
  and ($f_org::varchar is null or c.org_id = $f_org::varchar)
  and ($f_from::date is null or c.spent_on >= $f_from::date)
  and ($f_to::date is null or c.spent_on <= $f_to::date)
group by c.cost_category
order by amount desc, c.cost_category
