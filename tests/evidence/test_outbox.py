"""The evidence outbox without a chain: records, leaves, batches, the account.

Every test runs on a real encrypted workspace; nothing of ours is faked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.evidence.anchor import (
    ChainAccountMissing,
    anchor_gas,
    encode_anchor,
    import_account,
    open_account,
    stored_address,
)
from app.evidence.canonical import canonical_json
from app.evidence.merkle import MerkleTree, leaf_hash, verify_inclusion
from app.evidence.record import (
    EvidenceKind,
    EvidenceRecord,
    RecordInvalid,
    TimeSource,
    enqueue,
)
from app.evidence.sync import backoff_delay, evidence_status
from app.evidence.verify import ANCHOR_SIZE, decode_anchor, workspace_hash
from app.workspace import (
    GivenPassphrase,
    OpenWorkspace,
    choose_custody,
    init_workspace,
    open_workspace,
)
from storage.outbox import (
    BatchState,
    add_batch,
    batches_in,
    leaf,
    mark_signed,
    pending_leaves,
    stored_account,
)
from storage.usage_log import append
from tests.support.anvil import DEV_ADDRESS, DEV_KEY, simulate_stampings

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[OpenWorkspace]:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    with open_workspace(root, GivenPassphrase(None)) as opened:
        yield opened


def _record(seq: int, entry_hash: str, **changes: object) -> EvidenceRecord:
    fields: dict[str, object] = {
        "kind": EvidenceKind.STAMP,
        "time": "2026-02-01T09:00:00.000Z",
        "time_source": TimeSource.TSA,
        "device_id": "desk-01",
        "log_seq": seq,
        "log_entry_hash": entry_hash,
        "document_sha256_before": "a" * 64,
        "document_sha256_after": "b" * 64,
        "seal_id": "seal-1",
        "cert_sha256": "c" * 64,
        "signer": "CN=合同专用章",
        "officer": "officer-1",
        "approval_id": "approval-1",
    }
    fields.update(changes)
    return EvidenceRecord(**fields)  # type: ignore[arg-type]


def test_record_is_canonical_json_and_its_leaf() -> None:
    record = _record(7, "d" * 64)
    data = record.canonical()
    assert data == canonical_json(record.to_json())
    assert data.startswith(b'{"approval_id":"approval-1","cert_sha256":"ccc')
    assert "合同专用章".encode() in data  # UTF-8, not \u escapes
    assert record.leaf_hash() == hashlib.sha256(b"\x00" + data).digest()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"cert_sha256": None}, "a stamping needs cert_sha256"),
        ({"document_sha256_after": "B" * 64}, "not a lowercase hex"),
        ({"log_seq": 0}, "log_seq must be 1 or more"),
        ({"kind": EvidenceKind.SEAL_REVOKED, "seal_id": None}, "must name a seal"),
        ({"details": {"count": 2**60}}, "canonical JSON"),
    ],
)
def test_incomplete_record_is_refused(changes: dict[str, object], problem: str) -> None:
    with pytest.raises(RecordInvalid, match=problem):
        _record(1, "d" * 64, **changes).canonical()


def test_leaf_commits_with_its_log_entry_or_not_at_all(ws: OpenWorkspace) -> None:
    def stamp_then_fail() -> None:
        with ws.db.transaction() as conn:
            entry = append(conn, "stamp", actor="officer-1")
            enqueue(conn, _record(entry.seq, entry.entry_hash))
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        stamp_then_fail()
    assert ws.db.scalar("SELECT count(*) FROM usage_log") == 0
    assert ws.db.scalar("SELECT count(*) FROM evidence_leaves") == 0

    with ws.db.transaction() as conn:
        entry = append(conn, "stamp", actor="officer-1")
        leaf_id = enqueue(conn, _record(entry.seq, entry.entry_hash))
        stored = leaf(conn, leaf_id)
    assert stored is not None
    assert stored.log_seq == entry.seq
    assert stored.leaf_hash == leaf_hash(stored.record)
    assert stored.batch_id is None


def test_record_must_name_its_log_entry(ws: OpenWorkspace) -> None:
    with ws.db.transaction() as conn:
        entry = append(conn, "stamp", actor="officer-1")
    with pytest.raises(RecordInvalid, match="not in the log"), ws.db.transaction() as c:
        enqueue(c, _record(entry.seq, "e" * 64))
    with pytest.raises(RecordInvalid, match="not in the log"), ws.db.transaction() as c:
        enqueue(c, _record(entry.seq + 1, entry.entry_hash))


def test_administrative_events_are_evidence_too(ws: OpenWorkspace) -> None:
    with ws.db.transaction() as conn:
        entry = append(conn, "seal.revoke", actor="admin-1", seal_id="seal-1")
        record = EvidenceRecord(
            kind=EvidenceKind.SEAL_REVOKED,
            time=entry.at,
            time_source=TimeSource.CLOCK,
            device_id="desk-01",
            log_seq=entry.seq,
            log_entry_hash=entry.entry_hash,
            seal_id="seal-1",
            officer="admin-1",
            details={"reason": "key lost"},
        )
        leaf_id = enqueue(conn, record)
        stored = leaf(conn, leaf_id)
    assert stored is not None
    assert stored.kind == "seal_revoked"
    assert b'"details":{"reason":"key lost"}' in stored.record


def test_leaves_are_fixed_and_join_one_batch(ws: OpenWorkspace) -> None:
    simulate_stampings(ws.db, 4)
    with ws.db.transaction() as conn:
        leaves = pending_leaves(conn, 10)
    assert [item.id for item in leaves] == [1, 2, 3, 4]
    tree = MerkleTree([item.leaf_hash for item in leaves[:3]])
    proofs = tree.inclusion_proofs()

    with ws.db.transaction() as conn:
        batch_id = add_batch(
            conn,
            root=tree.root,
            leaves=[(item.id, p) for item, p in zip(leaves, proofs, strict=False)],
            log_seq=4,
            log_head="f" * 64,
            created_at="2026-02-01T09:00:00.000Z",
        )
        first = leaf(conn, 1)
    assert first is not None
    assert first.proof is not None
    verify_inclusion(first.leaf_hash, 0, 3, first.proof, tree.root)

    with (
        pytest.raises(Exception, match="cannot be changed"),
        ws.db.transaction() as conn,
    ):
        conn.execute("UPDATE evidence_leaves SET record = x'00' WHERE id = 1")
    with pytest.raises(Exception, match="one batch only"), ws.db.transaction() as conn:
        conn.execute(
            "UPDATE evidence_leaves SET batch_id = ? WHERE id = 2", (batch_id,)
        )
    with pytest.raises(Exception, match="never deleted"), ws.db.transaction() as conn:
        conn.execute("DELETE FROM evidence_leaves WHERE id = 4")


def test_same_root_cannot_be_batched_twice(ws: OpenWorkspace) -> None:
    simulate_stampings(ws.db, 2)
    with ws.db.transaction() as conn:
        leaves = pending_leaves(conn, 10)
        tree = MerkleTree([item.leaf_hash for item in leaves[:1]])
        add_batch(
            conn,
            root=tree.root,
            leaves=[(leaves[0].id, [])],
            log_seq=2,
            log_head="f" * 64,
            created_at="2026-02-01T09:00:00.000Z",
        )
    with pytest.raises(Exception, match="UNIQUE"), ws.db.transaction() as conn:
        add_batch(
            conn,
            root=tree.root,
            leaves=[(leaves[1].id, [])],
            log_seq=2,
            log_head="f" * 64,
            created_at="2026-02-01T09:00:00.000Z",
        )


def test_one_nonce_carries_one_transaction(ws: OpenWorkspace) -> None:
    simulate_stampings(ws.db, 2)
    with ws.db.transaction() as conn:
        for n, item in enumerate(pending_leaves(conn, 10)):
            add_batch(
                conn,
                root=item.leaf_hash,
                leaves=[(item.id, [])],
                log_seq=2,
                log_head="f" * 64,
                created_at="2026-02-01T09:00:00.000Z",
            )
            if n == 0:
                mark_signed(
                    conn,
                    1,
                    sender=DEV_ADDRESS,
                    anchor_to="0x" + "5e" * 20,
                    nonce=0,
                    chain_id=31337,
                    tx_hash="0x" + "11" * 32,
                    raw_tx=b"raw",
                )
    with pytest.raises(Exception, match="UNIQUE"), ws.db.transaction() as conn:
        mark_signed(
            conn,
            2,
            sender=DEV_ADDRESS,
            anchor_to="0x" + "5e" * 20,
            nonce=0,
            chain_id=31337,
            tx_hash="0x" + "22" * 32,
            raw_tx=b"raw",
        )
    with ws.db.transaction() as conn:
        assert [b.id for b in batches_in(conn, BatchState.BUILT)] == [2]


def test_status_counts_waiting_leaves(ws: OpenWorkspace) -> None:
    simulate_stampings(ws.db, 5)
    status = evidence_status(ws.db)
    assert (status.pending, status.waiting, status.anchored, status.confirmed) == (
        5,
        5,
        0,
        0,
    )
    assert status.last_error is None


def test_anchor_payload_layout() -> None:
    ws_hash = workspace_hash("7b0c1e9e-0000-4000-8000-000000000001")
    root, head = bytes(range(32)), bytes(range(32, 64))
    data = encode_anchor(ws_hash, root, 1_000_001, head)
    assert len(data) == ANCHOR_SIZE == 109
    assert data[:5] == b"SDEV\x01"
    decoded = decode_anchor(data)
    assert decoded is not None
    assert (
        decoded.workspace_hash,
        decoded.root,
        decoded.log_seq,
        decoded.log_head,
    ) == (
        ws_hash,
        root,
        1_000_001,
        head,
    )
    assert decode_anchor(data[:-1]) is None
    assert decode_anchor(b"XDEV" + data[4:]) is None
    assert decode_anchor(data[:4] + b"\x02" + data[5:]) is None
    assert anchor_gas(data) >= 21_000 + 40 * len(data)


def test_backoff_doubles_up_to_five_minutes() -> None:
    assert [backoff_delay(n, 0.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert backoff_delay(30, 0.0) == 300.0
    spread = [backoff_delay(3) for _ in range(50)]
    assert all(3.2 <= d <= 4.8 for d in spread)


def test_account_key_is_sealed_under_keyring_custody(ws: OpenWorkspace) -> None:
    address = import_account(ws.db, ws.info, DEV_KEY, None)
    assert address == DEV_ADDRESS
    assert stored_address(ws.db) == DEV_ADDRESS
    with ws.db.transaction() as conn:
        stored = stored_account(conn)
    assert stored is not None
    assert stored.wrapping == "keyring"
    raw_key = bytes.fromhex(DEV_KEY[2:])
    assert raw_key not in stored.ciphertext
    assert DEV_KEY[2:].encode() not in stored.ciphertext
    assert DEV_KEY[2:] not in repr(stored)
    assert open_account(ws.db, ws.info).address == DEV_ADDRESS


def test_account_key_is_sealed_under_passphrase_custody(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("passphrase"), GivenPassphrase(PASSPHRASE))
    with open_workspace(root, GivenPassphrase(PASSPHRASE)) as opened:
        import_account(opened.db, opened.info, DEV_KEY, None)
        with opened.db.transaction() as conn:
            stored = stored_account(conn)
        assert stored is not None
        assert stored.wrapping == "derived"
        assert open_account(opened.db, opened.info).address == DEV_ADDRESS
        # A changed sealed key is refused, not used.
        with opened.db.transaction() as conn:
            conn.execute(
                "UPDATE chain_account SET ciphertext = ? WHERE id = 1",
                (bytes([stored.ciphertext[0] ^ 1]) + stored.ciphertext[1:],),
            )
        with pytest.raises(ChainAccountMissing, match="cannot be opened"):
            open_account(opened.db, opened.info)


def test_no_account_and_bad_keys_are_refused(ws: OpenWorkspace) -> None:
    with pytest.raises(ChainAccountMissing, match="No chain account"):
        open_account(ws.db, ws.info)
    with pytest.raises(ChainAccountMissing, match="not a valid") as caught:
        import_account(ws.db, ws.info, "0x1234", None)
    assert "1234" not in caught.value.en
