-- Scalar macro: the one definition of a cost ratio (cost per participant, per matched mentee,
-- per completed pair, per acquired topic; docs/metrics.md): the cost lines' total over a count.
-- Null when there is no cost line (the total is null, never 0) or the count is 0.
-- Parameters: costs_total (the sum of the cost lines' amounts, null when none), units (count).
create or replace temp macro cost_per(costs_total, units) as costs_total / nullif(units, 0)
