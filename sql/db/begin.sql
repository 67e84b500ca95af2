-- Starts a transaction on the connection (runTransaction). No parameters.
begin transaction
