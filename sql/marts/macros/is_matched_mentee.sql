-- Scalar macro: whether a participant is a matched mentee (a mentee with at least one pair),
-- the denominator of the cost per matched mentee. Parameters: role, count_pairs (a
-- metrics_participants row's).
create or replace temp macro is_matched_mentee(role, count_pairs) as (role = 'mentee' and count_pairs > 0)
