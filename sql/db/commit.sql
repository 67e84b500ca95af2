-- Commits the connection's transaction (runTransaction). No parameters.
commit
