-- One random secret per workspace, kept inside the encrypted database. Keys for
-- archive files and wrapped secrets derive from it, so they survive a change of
-- the database key (a passphrase recovery re-encrypts the file).
CREATE TABLE workspace_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB NOT NULL CHECK (length(secret) = 32)
) STRICT;
