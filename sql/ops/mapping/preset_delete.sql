-- Removes a mapping preset. Parameters: $name. Returns the removed name.
delete from mapping_presets where name = $name returning name
