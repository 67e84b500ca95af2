-- Forgets the failures of one throttling key (successful sign-in, password reset). Parameters: $throttle_key.
delete from login_failures where throttle_key = $throttle_key
