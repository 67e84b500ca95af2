-- The early-warning model's facts: one row per recorded pair of a program matched on or before
-- as_of and per horizon of 1, 2 and 3 months after matching, with only what was known at that
-- horizon's cutoff (matched_at + N months, exclusive): meetings and offline meetings so far,
-- topics acquired so far, and the pair's features known at matching (compatibility score,
-- cross-company, age gap, job level gap, same city). Whether the pair was still open at the
-- cutoff, whether the cutoff is reached by as_of, whether it ended early in the 3 months after
-- the cutoff and whether those 3 months are observed by as_of say which rows train the model
-- and which are scored (analytics/matching/early-warning.ts). Nothing after as_of is read: a
-- later meeting, topic or end does not count.
-- Parameters: $program_id; $as_of (DATE).
with pp as (
  select
    p.pair_id, p.mentor_id, p.mentee_id, p.matched_at, p.ended_at, p.status, p.match_score,
    mr.org_id as mentor_org_id, me.org_id as mentee_org_id,
    mr.org_id <> me.org_id as is_cross_company,
    abs(mr.birth_year - me.birth_year) as age_gap_years,
    abs(mr.job_level - me.job_level) as job_level_gap,
    case when mr.city is null or me.city is null then null else lower(mr.city) = lower(me.city) end as is_same_city
  from pairs p
  join participants mr on mr.program_id = p.program_id and mr.participant_id = p.mentor_id
  join participants me on me.program_id = p.program_id and me.participant_id = p.mentee_id
  where p.program_id = $program_id and p.matched_at <= $as_of::date
),
cut as (
  select pp.*, h.month, (pp.matched_at + to_months(h.month))::date as cutoff
  from pp cross join (select unnest([1, 2, 3]) as month) h
),
met as (
  select c.pair_id, c.month, count(m.meeting_id) as meetings, count(m.meeting_id) filter (where m.mode = 'offline') as offline_meetings
  from cut c
  left join meetings m on m.program_id = $program_id and m.pair_id = c.pair_id and m.date < c.cutoff and m.date <= $as_of::date
  group by c.pair_id, c.month
),
acq as (
  select c.pair_id, c.month, count(t.topic_id) as topics_acquired
  from cut c
  left join pair_topics t on t.program_id = $program_id and t.pair_id = c.pair_id and t.acquired_at < c.cutoff and t.acquired_at <= $as_of::date
  group by c.pair_id, c.month
)
select
  c.pair_id, c.mentor_id, c.mentee_id, c.mentor_org_id, c.mentee_org_id,
  c.month::integer as month,
  c.cutoff,
  c.cutoff <= $as_of::date as is_reached,
  c.ended_at is null or c.ended_at >= c.cutoff as is_open_at_cutoff,
  -- The status as of as_of: a pair that ends after as_of is still active then.
  case when c.ended_at is null or c.ended_at > $as_of::date then 'active' else c.status end as status,
  c.status = 'ended_early' and c.ended_at <= $as_of::date and c.ended_at < (c.cutoff + to_months(3))::date as is_ended_early_in_window,
  (c.cutoff + to_months(3))::date <= $as_of::date as is_window_observed,
  met.meetings::integer as meetings,
  met.offline_meetings::integer as offline_meetings,
  acq.topics_acquired::integer as topics_acquired,
  c.match_score,
  c.is_cross_company,
  c.age_gap_years::double as age_gap_years,
  c.job_level_gap::double as job_level_gap,
  c.is_same_city
from cut c
join met using (pair_id, month)
join acq using (pair_id, month)
order by c.pair_id, c.month
