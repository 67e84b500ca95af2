-- One mapping preset by name. Parameters: $name.
select name, mapping, headers_key, created_at::varchar as created_at, created_by, updated_at::varchar as updated_at, updated_by
from mapping_presets where name = $name
