-- One row per pair whose mentor_id or mentee_id is not a participant of the pair's program with
-- the matching role.
with people as (
  select program_id, participant_id, min(role) as role
  from ingest_typ_participants
  where program_id is not null and participant_id is not null
  group by all
),
ends as (
  select rec, program_id, 'mentor_id' as column_name, mentor_id as person_id, 'mentor' as expected from ingest_typ_pairs where mentor_id is not null
  union all
  select rec, program_id, 'mentee_id', mentee_id, 'mentee' from ingest_typ_pairs where mentee_id is not null
)
select e.rec, e.column_name,
  case when p.participant_id is null then 'no participant with this id in the pair''s program'
       when p.role is null then 'participant has no valid role (see participants), expected a ' || e.expected
       else 'participant is a ' || p.role || ', not a ' || e.expected end as message,
  e.person_id as value, null as first_rec
from ends e
left join people p on p.program_id = e.program_id and p.participant_id = e.person_id
where p.participant_id is null or p.role is distinct from e.expected
