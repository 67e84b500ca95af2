-- Deletes the failures older than $since (epoch ms).
delete from login_failures where failed_at <= epoch_ms($since)
