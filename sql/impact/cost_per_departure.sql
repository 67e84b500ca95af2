-- The program's cost per departure set by the operator (issue 13), if any. Parameters: $program_id.
select cost_per_departure::double as cost_per_departure from program_impact where program_id = $program_id
