"""The evidence outbox (存证发件箱): leaves, anchored batches, chain account.

This module only reads and writes the tables of migration ``0004_evidence``;
what a leaf contains, how batches are formed and how they reach the chain is
decided in ``app.evidence``. Every function takes a connection, so writes run
inside the caller's ``Database.transaction()`` and reads may use a reader.

A batch moves through ``built`` (tree made, proofs stored) → ``signed`` (raw
transaction stored, not yet known to be sent) → ``sent`` → ``mined`` →
``confirmed``. A reorganised chain may move a batch from ``mined`` back to
``signed``; the same raw transaction is then sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from storage.database import Connection

__all__ = [
    "Batch",
    "BatchState",
    "Leaf",
    "StoredAccount",
    "SyncState",
    "add_batch",
    "batch",
    "batches",
    "batches_in",
    "leaf",
    "leaf_counts",
    "leaf_hashes",
    "leaves_of",
    "log_head",
    "mark_confirmed",
    "mark_mined",
    "mark_sent",
    "mark_signed",
    "mark_timestamped",
    "mark_unmined",
    "next_nonce",
    "pending_leaves",
    "pending_summary",
    "put_leaf",
    "record_failure",
    "record_success",
    "store_account",
    "stored_account",
    "sync_state",
]

_HASH = 32


class BatchState(Enum):
    BUILT = "built"
    SIGNED = "signed"
    SENT = "sent"
    MINED = "mined"
    CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Leaf:
    """One evidence leaf; ``batch_id`` is ``None`` while it waits."""

    id: int
    kind: str
    record: bytes
    leaf_hash: bytes
    log_seq: int
    created_at: str
    batch_id: int | None
    leaf_index: int | None
    proof: tuple[bytes, ...] | None


@dataclass(frozen=True)
class Batch:
    """One batch of leaves and, once signed, its anchor transaction."""

    id: int
    root: bytes
    size: int
    first_leaf: int
    last_leaf: int
    log_seq: int
    log_head: str
    created_at: str
    state: BatchState
    sender: str | None
    anchor_to: str | None
    nonce: int | None
    chain_id: int | None
    tx_hash: str | None
    raw_tx: bytes | None
    sent_at: str | None
    block_number: int | None
    block_hash: str | None
    confirmations: int
    mined_at: str | None
    confirmed_at: str | None
    tsa_token: bytes | None
    tsa_time: str | None


@dataclass(frozen=True)
class StoredAccount:
    """The chain account as stored: its address and the sealed private key."""

    address: str
    wrapping: str
    nonce: bytes = field(repr=False)
    ciphertext: bytes = field(repr=False)
    start_nonce: int | None = None
    start_block: int | None = None


@dataclass(frozen=True)
class SyncState:
    failures: int
    last_error: str | None
    last_error_at: str | None
    next_attempt_at: str | None
    last_success_at: str | None


_LEAF_COLUMNS = (
    "id, kind, record, leaf_hash, log_seq, created_at, batch_id, leaf_index, proof"
)
_BATCH_COLUMNS = (
    "id, root, size, first_leaf, last_leaf, log_seq, log_head, created_at, state, "
    "sender, anchor_to, nonce, chain_id, tx_hash, raw_tx, sent_at, block_number, "
    "block_hash, confirmations, mined_at, confirmed_at, tsa_token, tsa_time"
)


def _split(blob: bytes) -> tuple[bytes, ...]:
    return tuple(blob[i : i + _HASH] for i in range(0, len(blob), _HASH))


def _leaf(row: tuple[Any, ...]) -> Leaf:
    return Leaf(
        id=int(row[0]),
        kind=str(row[1]),
        record=bytes(row[2]),
        leaf_hash=bytes(row[3]),
        log_seq=int(row[4]),
        created_at=str(row[5]),
        batch_id=None if row[6] is None else int(row[6]),
        leaf_index=None if row[7] is None else int(row[7]),
        proof=None if row[8] is None else _split(bytes(row[8])),
    )


def _batch(row: tuple[Any, ...]) -> Batch:
    return Batch(
        id=int(row[0]),
        root=bytes(row[1]),
        size=int(row[2]),
        first_leaf=int(row[3]),
        last_leaf=int(row[4]),
        log_seq=int(row[5]),
        log_head=str(row[6]),
        created_at=str(row[7]),
        state=BatchState(row[8]),
        sender=row[9],
        anchor_to=row[10],
        nonce=row[11],
        chain_id=row[12],
        tx_hash=row[13],
        raw_tx=None if row[14] is None else bytes(row[14]),
        sent_at=row[15],
        block_number=row[16],
        block_hash=row[17],
        confirmations=int(row[18]),
        mined_at=row[19],
        confirmed_at=row[20],
        tsa_token=None if row[21] is None else bytes(row[21]),
        tsa_time=row[22],
    )


# -- leaves -----------------------------------------------------------------


def put_leaf(
    conn: Connection,
    *,
    kind: str,
    record: bytes,
    leaf_hash: bytes,
    log_seq: int,
    created_at: str,
) -> int:
    """Insert one waiting leaf; return its id, which orders the outbox."""
    cursor = conn.execute(
        "INSERT INTO evidence_leaves (kind, record, leaf_hash, log_seq, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (kind, record, leaf_hash, log_seq, created_at),
    )
    return int(cursor.lastrowid)


def leaf(conn: Connection, leaf_id: int) -> Leaf | None:
    row = conn.execute(
        f"SELECT {_LEAF_COLUMNS} FROM evidence_leaves WHERE id = ?",  # noqa: S608
        (leaf_id,),
    ).fetchone()
    return None if row is None else _leaf(row)


def pending_leaves(conn: Connection, limit: int) -> list[Leaf]:
    """The oldest waiting leaves, at most ``limit``, in outbox order."""
    rows = conn.execute(
        f"SELECT {_LEAF_COLUMNS} FROM evidence_leaves "  # noqa: S608
        "WHERE batch_id IS NULL ORDER BY id LIMIT ?",
        (limit,),
    ).fetchall()
    return [_leaf(r) for r in rows]


def pending_summary(conn: Connection) -> tuple[int, str | None]:
    """How many leaves wait, and when the oldest of them was written."""
    row = conn.execute(
        "SELECT count(*), min(created_at) FROM evidence_leaves WHERE batch_id IS NULL"
    ).fetchone()
    return int(row[0]), row[1]


def leaves_of(conn: Connection, batch_id: int) -> list[Leaf]:
    rows = conn.execute(
        f"SELECT {_LEAF_COLUMNS} FROM evidence_leaves "  # noqa: S608
        "WHERE batch_id = ? ORDER BY leaf_index",
        (batch_id,),
    ).fetchall()
    return [_leaf(r) for r in rows]


def leaf_hashes(conn: Connection, batch_id: int) -> list[bytes]:
    rows = conn.execute(
        "SELECT leaf_hash FROM evidence_leaves WHERE batch_id = ? ORDER BY leaf_index",
        (batch_id,),
    ).fetchall()
    return [bytes(r[0]) for r in rows]


def leaf_counts(conn: Connection) -> dict[str, int]:
    """Leaves per state of their batch; ``waiting`` for those in none yet."""
    rows = conn.execute(
        "SELECT coalesce(b.state, 'waiting'), count(*) FROM evidence_leaves l "
        "LEFT JOIN evidence_batches b ON b.id = l.batch_id "
        "GROUP BY coalesce(b.state, 'waiting')"
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


# -- batches ----------------------------------------------------------------


def add_batch(
    conn: Connection,
    *,
    root: bytes,
    leaves: Sequence[tuple[int, Sequence[bytes]]],
    log_seq: int,
    log_head: str,
    created_at: str,
) -> int:
    """Store a built batch and each leaf's place and proof in it.

    ``leaves`` lists ``(leaf_id, proof)`` in leaf order; the ids must be the
    consecutive oldest waiting leaves.
    """
    first, last = leaves[0][0], leaves[-1][0]
    if last - first + 1 != len(leaves):
        raise ValueError("a batch must take consecutive leaves")
    cursor = conn.execute(
        "INSERT INTO evidence_batches (root, size, first_leaf, last_leaf, log_seq, "
        "log_head, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (root, len(leaves), first, last, log_seq, log_head, created_at),
    )
    batch_id = int(cursor.lastrowid)
    conn.executemany(
        "UPDATE evidence_leaves SET batch_id = ?, leaf_index = ?, proof = ? "
        "WHERE id = ? AND batch_id IS NULL",
        [
            (batch_id, index, b"".join(proof), leaf_id)
            for index, (leaf_id, proof) in enumerate(leaves)
        ],
    )
    taken = conn.execute(
        "SELECT count(*) FROM evidence_leaves WHERE batch_id = ?", (batch_id,)
    ).fetchone()[0]
    if int(taken) != len(leaves):
        raise ValueError("a leaf of the batch was already taken by another batch")
    return batch_id


def batch(conn: Connection, batch_id: int) -> Batch | None:
    row = conn.execute(
        f"SELECT {_BATCH_COLUMNS} FROM evidence_batches WHERE id = ?",  # noqa: S608
        (batch_id,),
    ).fetchone()
    return None if row is None else _batch(row)


def batches(conn: Connection) -> list[Batch]:
    """Every batch, oldest first."""
    rows = conn.execute(
        f"SELECT {_BATCH_COLUMNS} FROM evidence_batches ORDER BY id"  # noqa: S608
    ).fetchall()
    return [_batch(r) for r in rows]


def batches_in(conn: Connection, *states: BatchState) -> list[Batch]:
    """The batches in any of ``states``, oldest first."""
    marks = ", ".join("?" for _ in states)
    rows = conn.execute(
        f"SELECT {_BATCH_COLUMNS} FROM evidence_batches "  # noqa: S608
        f"WHERE state IN ({marks}) ORDER BY id",
        tuple(s.value for s in states),
    ).fetchall()
    return [_batch(r) for r in rows]


def log_head(conn: Connection) -> tuple[int, str]:
    """The usage log's newest sequence number and hash, read in ``conn``."""
    row = conn.execute(
        "SELECT seq, entry_hash FROM usage_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return (0, "0" * 64) if row is None else (int(row[0]), str(row[1]))


def next_nonce(conn: Connection, sender: str) -> int | None:
    """One past the highest nonce this database signed with, or ``None``."""
    value = conn.execute(
        "SELECT max(nonce) FROM evidence_batches WHERE sender = ?", (sender,)
    ).fetchone()[0]
    return None if value is None else int(value) + 1


def _change(conn: Connection, sql: str, params: tuple[object, ...]) -> None:
    if conn.execute(sql, params).rowcount != 1:
        raise ValueError("the batch is not in the state this change expects")


def mark_signed(
    conn: Connection,
    batch_id: int,
    *,
    sender: str,
    anchor_to: str,
    nonce: int,
    chain_id: int,
    tx_hash: str,
    raw_tx: bytes,
) -> None:
    """Store the signed transaction; this happens before it is ever sent."""
    _change(
        conn,
        "UPDATE evidence_batches SET state = 'signed', sender = ?, anchor_to = ?, "
        "nonce = ?, chain_id = ?, tx_hash = ?, raw_tx = ? "
        "WHERE id = ? AND state = 'built'",
        (sender, anchor_to, nonce, chain_id, tx_hash, raw_tx, batch_id),
    )


def mark_sent(conn: Connection, batch_id: int, at: str) -> None:
    _change(
        conn,
        "UPDATE evidence_batches SET state = 'sent', sent_at = coalesce(sent_at, ?) "
        "WHERE id = ? AND state IN ('signed', 'sent')",
        (at, batch_id),
    )


def mark_mined(
    conn: Connection,
    batch_id: int,
    *,
    block_number: int,
    block_hash: str,
    confirmations: int,
    at: str,
) -> None:
    _change(
        conn,
        "UPDATE evidence_batches SET state = 'mined', block_number = ?, "
        "block_hash = ?, confirmations = ?, mined_at = coalesce(mined_at, ?), "
        "sent_at = coalesce(sent_at, ?) "
        "WHERE id = ? AND state IN ('signed', 'sent', 'mined')",
        (block_number, block_hash, confirmations, at, at, batch_id),
    )


def mark_confirmed(
    conn: Connection, batch_id: int, confirmations: int, at: str
) -> None:
    _change(
        conn,
        "UPDATE evidence_batches SET state = 'confirmed', confirmations = ?, "
        "confirmed_at = ? WHERE id = ? AND state = 'mined'",
        (confirmations, at, batch_id),
    )


def mark_unmined(conn: Connection, batch_id: int) -> None:
    """The block that held the transaction left the chain; send it again."""
    _change(
        conn,
        "UPDATE evidence_batches SET state = 'signed', block_number = NULL, "
        "block_hash = NULL, confirmations = 0, mined_at = NULL "
        "WHERE id = ? AND state = 'mined'",
        (batch_id,),
    )


def mark_timestamped(conn: Connection, batch_id: int, token: bytes, at: str) -> None:
    _change(
        conn,
        "UPDATE evidence_batches SET tsa_token = ?, tsa_time = ? WHERE id = ?",
        (token, at, batch_id),
    )


# -- chain account ----------------------------------------------------------


def store_account(conn: Connection, account: StoredAccount, at: str) -> None:
    """Keep the (sealed) chain account, replacing any earlier one."""
    conn.execute(
        "INSERT OR REPLACE INTO chain_account (id, address, wrapping, nonce, "
        "ciphertext, start_nonce, start_block, stored_at) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
        (
            account.address,
            account.wrapping,
            account.nonce,
            account.ciphertext,
            account.start_nonce,
            account.start_block,
            at,
        ),
    )


def stored_account(conn: Connection) -> StoredAccount | None:
    row = conn.execute(
        "SELECT address, wrapping, nonce, ciphertext, start_nonce, start_block "
        "FROM chain_account WHERE id = 1"
    ).fetchone()
    if row is None:
        return None
    return StoredAccount(
        str(row[0]), str(row[1]), bytes(row[2]), bytes(row[3]), row[4], row[5]
    )


# -- sync state -------------------------------------------------------------


def sync_state(conn: Connection) -> SyncState:
    row = conn.execute(
        "SELECT failures, last_error, last_error_at, next_attempt_at, "
        "last_success_at FROM evidence_sync WHERE id = 1"
    ).fetchone()
    return SyncState(int(row[0]), row[1], row[2], row[3], row[4])


def record_failure(conn: Connection, error: str, at: str, next_attempt_at: str) -> int:
    """Count one more failed attempt; return how many in a row have failed."""
    conn.execute(
        "UPDATE evidence_sync SET failures = failures + 1, last_error = ?, "
        "last_error_at = ?, next_attempt_at = ? WHERE id = 1",
        (error, at, next_attempt_at),
    )
    return int(
        conn.execute("SELECT failures FROM evidence_sync WHERE id = 1").fetchone()[0]
    )


def record_success(conn: Connection, at: str) -> None:
    """A pass reached the chain; the failure streak ends (the last error stays)."""
    conn.execute(
        "UPDATE evidence_sync SET failures = 0, next_attempt_at = NULL, "
        "last_success_at = ? WHERE id = 1",
        (at,),
    )
