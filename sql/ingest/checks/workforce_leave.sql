-- One row per workforce row whose leave_reason does not go with left_at: a departure without a
-- reason, or a reason without a departure (a value that does not parse is reported by the
-- column checks already). Reads ingest_typ_workforce; no parameters.
select rec, 'leave_reason' as column_name, 'required when left_at is given (voluntary, involuntary, retirement or other)' as message, null as value, null as first_rec
from ingest_typ_workforce where left_at is not null and leave_reason is null and not leave_reason__bad
union all
select rec, 'leave_reason', 'given without a left_at (empty = still employed on observed_until)', leave_reason__raw, null
from ingest_typ_workforce where left_at is null and not left_at__bad and leave_reason is not null
