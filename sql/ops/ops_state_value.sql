-- One row (none when unset): one value of ops_state. Parameters: $state_key.
select state_value from ops_state where state_key = $state_key
