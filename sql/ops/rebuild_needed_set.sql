-- Records that erased rows may remain in the file's bytes until it is rebuilt. No parameters.
insert into ops_state values ('rebuild_needed_since', current_timestamp::varchar)
