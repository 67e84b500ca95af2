-- At most one row: the programs of the last successful import whose files had this checksum,
-- when no later successful import touched any of those programs and they are all still stored.
-- Parameters: $checksum (sha256 over the export's tables and file checksums).
select i.program_ids
from imports i
where i.status = 'succeeded'
  and i.checksum = $checksum
  and not exists (
    select 1 from imports j
    where j.import_id > i.import_id and j.status = 'succeeded' and list_has_any(j.program_ids, i.program_ids)
  )
  and (select count(*) from programs p where list_contains(i.program_ids, p.program_id)) = len(i.program_ids)
order by i.import_id desc
limit 1
