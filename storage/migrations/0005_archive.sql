-- The archive index (归档): one row per archived document, whose encrypted
-- file lives in the workspace's archive/ folder under its content hash. The
-- row is written in the same transaction as the usage-log entry of the
-- stamping or filing that archived it; entries are never changed.

CREATE TABLE archive_entries (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size          INTEGER NOT NULL CHECK (size >= 0),
    title         TEXT NOT NULL CHECK (length(title) > 0),
    doc_number    TEXT,
    category      TEXT,
    seal_id       TEXT,
    officer_id    TEXT,
    -- When the document was stamped, or received for a filed document.
    stamped_at    TEXT NOT NULL,
    sha256_before TEXT CHECK (sha256_before IS NULL OR length(sha256_before) = 64),
    source_name   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('stamped', 'received')),
    archived_at   TEXT NOT NULL
) STRICT;

CREATE INDEX archive_by_time ON archive_entries (stamped_at, id);
CREATE INDEX archive_by_seal ON archive_entries (seal_id, stamped_at);
CREATE INDEX archive_by_officer ON archive_entries (officer_id, stamped_at);
CREATE INDEX archive_by_sha_before ON archive_entries (sha256_before)
    WHERE sha256_before IS NOT NULL;

CREATE TRIGGER archive_entries_no_update BEFORE UPDATE ON archive_entries
BEGIN
    SELECT RAISE(ABORT, 'archive entries are never changed');
END;

-- Full text of title and document number. The trigram tokenizer finds any
-- substring of three characters or more, which suits Chinese titles that have
-- no spaces between words; shorter queries are answered with LIKE.
CREATE VIRTUAL TABLE archive_text USING fts5 (
    title,
    doc_number,
    content = 'archive_entries',
    content_rowid = 'id',
    tokenize = 'trigram'
);

CREATE TRIGGER archive_text_insert AFTER INSERT ON archive_entries
BEGIN
    INSERT INTO archive_text (rowid, title, doc_number)
    VALUES (new.id, new.title, new.doc_number);
END;

CREATE TRIGGER archive_text_delete AFTER DELETE ON archive_entries
BEGIN
    INSERT INTO archive_text (archive_text, rowid, title, doc_number)
    VALUES ('delete', old.id, old.title, old.doc_number);
END;
