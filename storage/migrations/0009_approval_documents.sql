-- The document behind an approval request (用印审批), kept so the approver
-- sees what they approve. The bytes live encrypted in the archive folder,
-- addressed by their SHA-256, which equals the approval's document_sha256.
-- A request made by hash alone has no row here.

CREATE TABLE approval_documents (
    approval_id TEXT PRIMARY KEY REFERENCES approvals (id),
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    source_name TEXT NOT NULL,
    kept_at     TEXT NOT NULL
) STRICT;

CREATE INDEX approval_documents_by_sha256 ON approval_documents (sha256);
