-- Records one failed sign-in for one throttling key. Parameters: $throttle_key, $now (epoch ms).
insert into login_failures (throttle_key, failed_at) values ($throttle_key, epoch_ms($now))
