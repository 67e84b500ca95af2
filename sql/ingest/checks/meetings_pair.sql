-- One row per meeting whose pair_id is not a pair of the export, or dated before its pair's
-- matched_at (one join for both).
select t.rec,
  case when p.pair_id is null then 'pair_id' else 'date' end as column_name,
  case when p.pair_id is null then 'no pair with this pair_id in pairs'
       else 'before the pair''s matched_at ' || strftime(p.matched_at, '%Y-%m-%d') end as message,
  case when p.pair_id is null then t.pair_id else t.date__raw end as value,
  null as first_rec
from ingest_typ_meetings t
left join ingest_typ_pairs p on p.pair_id = t.pair_id
where t.pair_id is not null and (p.pair_id is null or t.date < p.matched_at)
