-- One row per CSV record the reader rejected (DuckDB may report several errors for one
-- record: the first column's), in line order. No parameters.
select line, min(line_byte_position) as byte, first(error_type order by column_idx) as error_type,
       first(error_message order by column_idx) as error_message
from reject_errors
group by line
order by line
