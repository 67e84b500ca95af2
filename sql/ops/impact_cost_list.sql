-- Every program's cost per departure set by the operator (issue 13). No parameters.
select program_id, cost_per_departure::double as cost_per_departure from program_impact order by program_id
