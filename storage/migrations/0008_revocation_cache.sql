-- Revocation data (OCSP responses, CRLs) fetched while verifying seals, kept
-- so that later verifications reuse it while it is fresh and still have it
-- when the network is away. One row per responder answer or CRL: an OCSP
-- response is keyed by the certificate it answers for (issuer name hash and
-- serial), a CRL by its issuer and distribution point. A newer fetch replaces
-- the row. Times are ISO 8601 UTC.

CREATE TABLE revocation_cache (
    key         TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('ocsp', 'crl')),
    der         BLOB NOT NULL CHECK (length(der) > 0),
    fetched_at  TEXT NOT NULL,
    this_update TEXT,
    next_update TEXT
) STRICT;
