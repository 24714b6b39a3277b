-- The usage log (用印日志): append-only, each entry's hash covers the previous.
CREATE TABLE usage_log (
    seq             INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    action          TEXT NOT NULL,
    actor           TEXT,
    seal_id         TEXT,
    document_sha256 TEXT,
    details         TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    entry_hash      TEXT NOT NULL UNIQUE
) STRICT;

CREATE INDEX usage_log_by_seal ON usage_log (seal_id, at);
CREATE INDEX usage_log_by_actor ON usage_log (actor, at);
CREATE INDEX usage_log_by_action ON usage_log (action, at);
CREATE INDEX usage_log_by_time ON usage_log (at);

-- SealDesk itself never changes a written entry. These triggers stop an
-- accidental UPDATE or DELETE; a deliberate edit that drops them is caught by
-- the hash chain, and a rollback of the whole file by the anchored head.
CREATE TRIGGER usage_log_no_update BEFORE UPDATE ON usage_log
BEGIN
    SELECT RAISE(ABORT, 'the usage log is append-only');
END;

CREATE TRIGGER usage_log_no_delete BEFORE DELETE ON usage_log
BEGIN
    SELECT RAISE(ABORT, 'the usage log is append-only');
END;
