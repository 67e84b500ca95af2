-- The presets made for files with these headers, most recently saved first. Parameters: $headers_key.
select name, mapping, headers_key, created_at::varchar as created_at, created_by, updated_at::varchar as updated_at, updated_by
from mapping_presets where headers_key = $headers_key order by updated_at desc, name
