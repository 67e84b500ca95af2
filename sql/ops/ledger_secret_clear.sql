-- Replaces the ledger's key by the one of the file a restore replaces. No parameters.
delete from ops_secret
