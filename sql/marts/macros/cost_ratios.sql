-- Scalar macro: the cost ratios of a set of cost lines, as one struct (`unnest` it in a select
-- list for its columns cost_per_participant, cost_per_matched_mentee, cost_per_completed_pair,
-- cost_per_acquired_topic), each by marts/macros/cost_per.sql. The report's costs and the
-- costs page's summary take them from here.
-- Parameters: costs_total (null when no cost line), participants, matched_mentees,
-- pairs_completed, topics_acquired.
create or replace temp macro cost_ratios(costs_total, participants, matched_mentees, pairs_completed, topics_acquired) as {
  'cost_per_participant': cost_per(costs_total, participants),
  'cost_per_matched_mentee': cost_per(costs_total, matched_mentees),
  'cost_per_completed_pair': cost_per(costs_total, pairs_completed),
  'cost_per_acquired_topic': cost_per(costs_total, topics_acquired)
}
