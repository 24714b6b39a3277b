-- Administration: people, roles, credentials, seals, grants, approvals
-- (用印审批) and the wrapped PINs of network HSMs. Times are UTC text in the
-- usage log's form (2026-02-01T09:00:00.000Z), so they compare as strings.

CREATE TABLE people (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    department TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE person_roles (
    person_id TEXT NOT NULL REFERENCES people (id),
    role      TEXT NOT NULL CHECK (
        role IN ('administrator', 'approver', 'officer', 'archivist', 'auditor')
    ),
    PRIMARY KEY (person_id, role)
) STRICT;

CREATE INDEX person_roles_by_role ON person_roles (role, person_id);

-- One row per person: an argon2 password hash and/or a bound certificate.
CREATE TABLE credentials (
    person_id     TEXT PRIMARY KEY REFERENCES people (id),
    password_hash TEXT,
    cert_der      BLOB,
    cert_sha256   TEXT UNIQUE,
    updated_at    TEXT NOT NULL,
    CHECK ((cert_der IS NULL) = (cert_sha256 IS NULL))
) STRICT;

CREATE TABLE seals (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL CHECK (
        type IN ('official', 'contract', 'finance', 'legal_representative',
                 'department', 'invoice')
    ),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (
        status IN ('active', 'suspended', 'revoked', 'destroyed')
    ),
    key_store       TEXT NOT NULL CHECK (key_store IN ('usb_key', 'hsm')),
    token_serial    TEXT NOT NULL,
    token_label     TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    key_label       TEXT NOT NULL DEFAULT '',
    cert_der        BLOB NOT NULL,
    cert_sha256     TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_until     TEXT NOT NULL,
    image_png       BLOB,
    image_width_mm  REAL,
    image_height_mm REAL,
    managed_by      TEXT NOT NULL REFERENCES people (id),
    holder_id       TEXT REFERENCES people (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (valid_from < valid_until)
) STRICT;

CREATE INDEX seals_by_token ON seals (token_serial, key_id);
CREATE INDEX seals_by_manager ON seals (managed_by);

-- Revoked and destroyed seals never come back; only the service changes a
-- status, and this stops a slip in any other code path.
CREATE TRIGGER seals_final_states BEFORE UPDATE OF status ON seals
WHEN OLD.status = 'destroyed'
    OR (OLD.status = 'revoked' AND NEW.status NOT IN ('revoked', 'destroyed'))
BEGIN
    SELECT RAISE(ABORT, 'a revoked or destroyed seal cannot be reactivated');
END;

CREATE TABLE grants (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL REFERENCES people (id),
    seal_id           TEXT NOT NULL REFERENCES seals (id),
    valid_from        TEXT NOT NULL,
    valid_until       TEXT NOT NULL,
    quota             INTEGER CHECK (quota IS NULL OR quota >= 0),
    used              INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0),
    categories        TEXT NOT NULL DEFAULT '[]',
    approval_required INTEGER NOT NULL CHECK (approval_required IN (0, 1)),
    granted_by        TEXT NOT NULL REFERENCES people (id),
    created_at        TEXT NOT NULL,
    revoked_at        TEXT,
    revoked_by        TEXT REFERENCES people (id),
    CHECK (valid_from < valid_until),
    CHECK (quota IS NULL OR used <= quota)
) STRICT;

-- At most one live grant per person and seal, so a check is never ambiguous.
CREATE UNIQUE INDEX grants_one_live ON grants (person_id, seal_id)
    WHERE revoked_at IS NULL;
CREATE INDEX grants_by_seal ON grants (seal_id, person_id);

-- Who may approve uses under a grant; no rows means any approver.
CREATE TABLE grant_approvers (
    grant_id    TEXT NOT NULL REFERENCES grants (id),
    approver_id TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (grant_id, approver_id)
) STRICT;

CREATE TABLE approvals (
    id              TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES grants (id),
    seal_id         TEXT NOT NULL REFERENCES seals (id),
    requester_id    TEXT NOT NULL REFERENCES people (id),
    document_sha256 TEXT NOT NULL CHECK (length(document_sha256) = 64),
    document_title  TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL,
    placement       TEXT,
    reason          TEXT NOT NULL DEFAULT '',
    requested_at    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (
        status IN ('pending', 'approved', 'rejected', 'used')
    ),
    decided_by      TEXT REFERENCES people (id),
    decided_at      TEXT,
    comment         TEXT,
    expires_at      TEXT,
    used_at         TEXT,
    CHECK (decided_by IS NULL OR decided_by <> requester_id)
) STRICT;

CREATE INDEX approvals_by_status ON approvals (status, requested_at);
CREATE INDEX approvals_by_requester ON approvals (requester_id, requested_at);
CREATE INDEX approvals_by_document ON approvals (document_sha256);

-- Network-HSM PINs, AES-256-GCM wrapped under a key kept outside this file
-- (keyring custody) or derived from the database key (passphrase custody).
CREATE TABLE hsm_pins (
    token_serial TEXT PRIMARY KEY,
    token_label  TEXT NOT NULL,
    wrapping     TEXT NOT NULL CHECK (wrapping IN ('keyring', 'derived')),
    nonce        BLOB NOT NULL CHECK (length(nonce) = 12),
    ciphertext   BLOB NOT NULL,
    stored_by    TEXT NOT NULL REFERENCES people (id),
    stored_at    TEXT NOT NULL
) STRICT;
