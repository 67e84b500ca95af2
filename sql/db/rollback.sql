-- Rolls back the connection's transaction (runTransaction). No parameters.
rollback
