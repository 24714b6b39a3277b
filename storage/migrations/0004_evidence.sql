-- Evidence (存证): the outbox of leaves, the anchored batches, the chain
-- account and the state of the sync worker. A leaf is written in the same
-- transaction as the usage-log entry it describes; the sync worker groups
-- leaves into batches, anchors each batch's Merkle root on the chain and keeps
-- every leaf's inclusion proof.

CREATE TABLE evidence_batches (
    id            INTEGER PRIMARY KEY,
    -- A root is anchored at most once: a second batch with it cannot exist.
    root          BLOB NOT NULL UNIQUE CHECK (length(root) = 32),
    size          INTEGER NOT NULL CHECK (size > 0),
    first_leaf    INTEGER NOT NULL,
    last_leaf     INTEGER NOT NULL,
    log_seq       INTEGER NOT NULL CHECK (log_seq >= 0),
    log_head      TEXT NOT NULL CHECK (length(log_head) = 64),
    created_at    TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'built' CHECK (
        state IN ('built', 'signed', 'sent', 'mined', 'confirmed')
    ),
    -- Filled when the transaction is signed, before it is ever sent, so a
    -- crash after sending is healed by looking this hash up.
    sender        TEXT,
    anchor_to     TEXT,
    nonce         INTEGER CHECK (nonce IS NULL OR nonce >= 0),
    chain_id      INTEGER,
    tx_hash       TEXT UNIQUE,
    raw_tx        BLOB,
    sent_at       TEXT,
    block_number  INTEGER,
    block_hash    TEXT,
    confirmations INTEGER NOT NULL DEFAULT 0,
    mined_at      TEXT,
    confirmed_at  TEXT,
    -- Optional RFC 3161 timestamp over the root.
    tsa_token     BLOB,
    tsa_time      TEXT,
    CHECK (first_leaf + size - 1 = last_leaf),
    CHECK ((state = 'built') = (tx_hash IS NULL)),
    CHECK ((tx_hash IS NULL) = (raw_tx IS NULL)),
    CHECK ((tx_hash IS NULL) = (nonce IS NULL)),
    CHECK (state NOT IN ('mined', 'confirmed') OR block_hash IS NOT NULL)
) STRICT;

-- One nonce of one account carries one transaction.
CREATE UNIQUE INDEX evidence_batches_by_nonce ON evidence_batches (sender, nonce)
    WHERE nonce IS NOT NULL;
CREATE INDEX evidence_batches_by_state ON evidence_batches (state, id);

CREATE TABLE evidence_leaves (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    record     BLOB NOT NULL,
    leaf_hash  BLOB NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
    log_seq    INTEGER NOT NULL REFERENCES usage_log (seq),
    created_at TEXT NOT NULL,
    batch_id   INTEGER REFERENCES evidence_batches (id),
    leaf_index INTEGER,
    proof      BLOB,
    CHECK ((batch_id IS NULL) = (leaf_index IS NULL)),
    CHECK ((batch_id IS NULL) = (proof IS NULL)),
    CHECK (proof IS NULL OR length(proof) % 32 = 0)
) STRICT;

CREATE INDEX evidence_leaves_pending ON evidence_leaves (batch_id, id);
CREATE INDEX evidence_leaves_by_log ON evidence_leaves (log_seq);

-- A leaf's record and hash never change, and it joins at most one batch.
CREATE TRIGGER evidence_leaves_fixed BEFORE UPDATE OF record, leaf_hash, log_seq, kind
ON evidence_leaves
BEGIN
    SELECT RAISE(ABORT, 'an evidence leaf cannot be changed');
END;

CREATE TRIGGER evidence_leaves_one_batch BEFORE UPDATE OF batch_id ON evidence_leaves
WHEN OLD.batch_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an evidence leaf belongs to one batch only');
END;

CREATE TRIGGER evidence_leaves_no_delete BEFORE DELETE ON evidence_leaves
BEGIN
    SELECT RAISE(ABORT, 'evidence leaves are never deleted');
END;

-- The account that signs anchor transactions. Its private key is sealed with
-- AES-256-GCM under the workspace's wrapping key, never stored in the clear.
CREATE TABLE chain_account (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    address    TEXT NOT NULL CHECK (length(address) = 42),
    wrapping   TEXT NOT NULL CHECK (wrapping IN ('keyring', 'derived')),
    nonce      BLOB NOT NULL CHECK (length(nonce) = 12),
    ciphertext BLOB NOT NULL,
    -- The account's transaction count and the chain height when it was
    -- stored, when the node could be asked: the nonce this workspace's first
    -- anchor must use, and where a scan for its anchors starts.
    start_nonce INTEGER CHECK (start_nonce IS NULL OR start_nonce >= 0),
    start_block INTEGER CHECK (start_block IS NULL OR start_block >= 0),
    stored_at  TEXT NOT NULL
) STRICT;

-- The sync worker's last outcome, for status displays and backoff.
CREATE TABLE evidence_sync (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    failures        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    last_error_at   TEXT,
    next_attempt_at TEXT,
    last_success_at TEXT
) STRICT;

INSERT INTO evidence_sync (id) VALUES (1);
