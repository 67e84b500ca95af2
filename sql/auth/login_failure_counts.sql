-- One row per throttling key among $account_key and $ip_key with failures since $since (epoch ms):
-- their count and the time of the last one.
select throttle_key, count(*) as failures, epoch_ms(max(failed_at)) as last_failed_at_ms
from login_failures
where throttle_key in ($account_key, $ip_key) and failed_at > epoch_ms($since)
group by throttle_key
