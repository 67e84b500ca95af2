-- Folds the write-ahead log into the database file. No parameters.
checkpoint
