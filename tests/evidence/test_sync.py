"""The sync worker and the verifier, in process, against a real anvil node."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.evidence.anchor import (
    ANCHOR_ADDRESS,
    ChainMismatch,
    ChainUnreachable,
    NonceConflict,
    import_account,
)
from app.evidence.sync import (
    SyncReport,
    SyncWorker,
    check_against_chain,
    evidence_bundle,
    evidence_status,
)
from app.evidence.verify import Outcome, decode_anchor, verify_evidence
from app.settings import check_setting
from app.workspace import (
    GivenPassphrase,
    OpenWorkspace,
    choose_custody,
    init_workspace,
    open_workspace,
)
from storage.outbox import batches
from storage.settings import set_setting
from tests.support.anvil import (
    CHAIN_ID,
    DEV_ADDRESS,
    DEV_KEY,
    Anvil,
    running_anvil,
    simulate_stampings,
)

pytestmark = pytest.mark.chain
POLL = 0.05


@dataclass
class Desk:
    root: Path
    ws: OpenWorkspace
    node: Anvil

    def configure(self, **values: str) -> None:
        for key, value in values.items():
            name = key.replace("__", ".")
            set_setting(self.ws.db, name, check_setting(name, value))

    def worker(self, **kwargs: Any) -> SyncWorker:
        return SyncWorker(self.ws.db, self.ws.info, **kwargs)

    def sync(self, *, flush: bool = False, **kwargs: Any) -> SyncReport:
        """Passes until nothing is in flight; anvil mines a moment after a send."""
        return self.worker(**kwargs).run_until_idle(flush=flush, timeout=60, poll=POLL)

    def passes_until(
        self, done: Callable[[SyncReport], bool], *, flush: bool = False
    ) -> SyncReport:
        """Single passes, a bounded number, until ``done`` holds for their sum."""
        total = SyncReport()
        for _ in range(200):
            total = total + self.worker().run_once(flush=flush)
            if done(total):
                return total
            time.sleep(0.02)  # paces the poll; the condition decides
        raise AssertionError(f"not reached: {total}")

    def anchors(self) -> list[dict[str, Any]]:
        return self.node.transactions_to(ANCHOR_ADDRESS)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    with (
        running_anvil(tmp_path / "anvil") as node,
        open_workspace(root, GivenPassphrase(None)) as opened,
    ):
        found = Desk(root, opened, node)
        found.configure(
            chain__rpc_url=node.url,
            chain__id=str(CHAIN_ID),
            evidence__batch_size="10",
        )
        import_account(opened.db, opened.info, DEV_KEY, node.url)
        yield found


def test_leaves_are_anchored_in_batches_and_every_proof_verifies(desk: Desk) -> None:
    leaf_ids = simulate_stampings(desk.ws.db, 25)

    report = desk.sync(flush=True)

    assert (report.built, report.sent, report.confirmed) == (3, 3, 3)
    assert (report.waiting, report.in_flight) == (0, 0)
    status = evidence_status(desk.ws.db)
    assert (status.pending, status.anchored, status.confirmed) == (0, 0, 25)
    for leaf_id in leaf_ids:
        bundle = evidence_bundle(desk.ws.db, desk.ws.info, leaf_id)
        check = verify_evidence(bundle, desk.node.url, expected_sender=DEV_ADDRESS)
        assert check.outcome is Outcome.VALID, check.reason

    with desk.ws.db.transaction() as conn:
        stored = batches(conn)
    on_chain = desk.anchors()
    assert [tx["hash"] for tx in on_chain] == [b.tx_hash for b in stored]
    assert [int(tx["nonce"], 16) for tx in on_chain] == [0, 1, 2]
    payloads = [decode_anchor(bytes.fromhex(tx["input"][2:])) for tx in on_chain]
    assert [p.root for p in payloads if p] == [b.root for b in stored]
    assert [(b.first_leaf, b.last_leaf) for b in stored] == [
        (1, 10),
        (11, 20),
        (21, 25),
    ]
    # Each batch carries the log head at the time it was built.
    assert [p.log_seq for p in payloads if p] == [25, 25, 25]


def test_batches_form_by_count_and_then_by_age(desk: Desk) -> None:
    desk.configure(evidence__batch_age_seconds="600")
    simulate_stampings(desk.ws.db, 15)

    first = desk.sync()
    assert (first.built, first.waiting, first.confirmed) == (1, 5, 1)

    assert (
        desk.sync(clock=lambda: datetime.now(UTC) + timedelta(seconds=500)).built == 0
    )

    second = desk.sync(clock=lambda: datetime.now(UTC) + timedelta(seconds=601))
    assert (second.built, second.waiting, second.confirmed) == (1, 0, 1)
    assert len(desk.anchors()) == 2


def test_a_changed_or_misplaced_bundle_does_not_verify(desk: Desk) -> None:
    simulate_stampings(desk.ws.db, 3)
    desk.sync(flush=True)
    bundle = evidence_bundle(desk.ws.db, desk.ws.info, 2)
    url = desk.node.url

    def outcome(change: Any, **kwargs: Any) -> tuple[Outcome, str]:
        changed = copy.deepcopy(bundle)
        change(changed)
        check = verify_evidence(changed, kwargs.pop("rpc", url), **kwargs)
        assert check.reason is not None
        return check.outcome, check.reason.name

    def edit_record(b: dict[str, Any]) -> None:
        b["record"]["officer"] = "mallory"
        b["leaf_hash"] = _leaf_of(b["record"])

    def other_root(b: dict[str, Any]) -> None:
        b["inclusion"]["root"] = "00" * 32

    def other_head(b: dict[str, Any]) -> None:
        b["anchor"]["log_seq"] += 1

    def other_workspace(b: dict[str, Any]) -> None:
        b["anchor"]["workspace_id"] = "another"

    def other_tx(b: dict[str, Any]) -> None:
        b["anchor"]["tx_hash"] = "0x" + "ab" * 32

    def other_chain(b: dict[str, Any]) -> None:
        b["anchor"]["chain_id"] = 1

    def other_block(b: dict[str, Any]) -> None:
        b["anchor"]["block_hash"] = "0x" + "cd" * 32

    def broken(b: dict[str, Any]) -> None:
        del b["inclusion"]

    assert outcome(edit_record) == (Outcome.INVALID, "inclusion")
    assert outcome(other_root) == (Outcome.INVALID, "inclusion")
    assert outcome(other_head) == (Outcome.INVALID, "anchor")
    assert outcome(other_workspace) == (Outcome.INVALID, "anchor")
    assert outcome(other_block) == (Outcome.INVALID, "block")
    assert outcome(other_tx) == (Outcome.CANNOT_VERIFY, "transaction")
    assert outcome(other_chain) == (Outcome.CANNOT_VERIFY, "chain")
    assert outcome(broken) == (Outcome.CANNOT_VERIFY, "bundle")
    assert outcome(lambda b: None, expected_sender="0x" + "99" * 20) == (
        Outcome.INVALID,
        "anchor",
    )
    assert outcome(lambda b: None, min_confirmations=3) == (
        Outcome.CANNOT_VERIFY,
        "confirmations",
    )
    desk.node.rpc("anvil_mine", "0x2")
    assert verify_evidence(bundle, url, min_confirmations=3).valid

    desk.node.stop()
    assert outcome(lambda b: None) == (Outcome.CANNOT_VERIFY, "chain")


def _leaf_of(record: dict[str, Any]) -> str:
    from app.evidence.canonical import canonical_json
    from app.evidence.merkle import leaf_hash

    return leaf_hash(canonical_json(record)).hex()


def test_an_unreachable_chain_is_recorded_and_retried(desk: Desk) -> None:
    simulate_stampings(desk.ws.db, 4)
    desk.node.stop()

    with pytest.raises(ChainUnreachable):
        desk.worker().run_once(flush=True)
    status = evidence_status(desk.ws.db)
    assert status.failures == 1
    assert status.last_error is not None
    assert "cannot be reached" in status.last_error
    assert status.next_attempt_at is not None
    # Nothing is batched while the chain is away: an outage ends in full batches.
    assert status.waiting == 4

    delays: list[float] = []

    def wait(seconds: float) -> None:
        if seconds == POLL:
            time.sleep(seconds)  # waiting for anvil to mine, as the worker would
            return
        delays.append(seconds)
        if len(delays) == 2:
            desk.node.start()

    report = desk.worker().run_until_idle(flush=True, timeout=120, wait=wait, poll=POLL)
    assert report.confirmed == 1
    assert 2 * 0.8 <= delays[0] <= 2 * 1.2  # the second failure in a row
    assert delays[1] > delays[0] * 0.8 * 2 / 1.2
    assert evidence_status(desk.ws.db).failures == 0
    assert len(desk.anchors()) == 1


def test_until_idle_gives_up_at_its_deadline(desk: Desk) -> None:
    simulate_stampings(desk.ws.db, 1)
    desk.node.stop()
    with pytest.raises(ChainUnreachable):
        # Real waits: about one second, then the next (about two) passes 2.5 s.
        desk.worker().run_until_idle(flush=True, timeout=2.5)
    assert evidence_status(desk.ws.db).failures == 2


def test_another_chain_is_refused(desk: Desk) -> None:
    desk.configure(chain__id="1")
    simulate_stampings(desk.ws.db, 1)
    with pytest.raises(ChainMismatch, match="serves chain 31337"):
        desk.worker().run_once(flush=True)
    assert desk.anchors() == []


def test_an_anchor_dropped_from_the_chain_is_sent_again_unchanged(desk: Desk) -> None:
    desk.configure(chain__confirmations="3")
    simulate_stampings(desk.ws.db, 5)
    snapshot = desk.node.rpc("evm_snapshot")

    first = desk.passes_until(lambda r: r.mined == 1, flush=True)
    assert first.confirmed == 0
    with desk.ws.db.transaction() as conn:
        (signed,) = batches(conn)
    assert desk.node.rpc("evm_revert", snapshot)
    assert desk.anchors() == []

    again = desk.passes_until(lambda r: r.mined == 1)
    assert again.resent == 1
    desk.node.rpc("anvil_mine", "0x2")
    assert desk.sync().confirmed == 1

    (tx,) = desk.anchors()
    assert tx["hash"] == signed.tx_hash
    with desk.ws.db.transaction() as conn:
        (now_stored,) = batches(conn)
    assert now_stored.raw_tx == signed.raw_tx
    assert now_stored.confirmations >= 3


def test_a_restored_older_database_stops_anchoring(desk: Desk, tmp_path: Path) -> None:
    simulate_stampings(desk.ws.db, 12)
    backup = _copy_database(desk, tmp_path / "backup")
    desk.sync(flush=True)
    simulate_stampings(desk.ws.db, 3, start=12)
    desk.sync(flush=True)
    assert len(desk.anchors()) == 3
    assert not check_against_chain(desk.ws.db, desk.ws.info).rolled_back

    desk.ws.close()
    _restore_database(desk, backup)
    with open_workspace(desk.root, GivenPassphrase(None)) as older:
        check = check_against_chain(older.db, older.info)
        assert check.rolled_back
        assert (check.chain_seq, check.local_entries) == (15, 12)

        with pytest.raises(NonceConflict, match="older copy"):
            SyncWorker(older.db, older.info).run_once(flush=True)
    assert len(desk.anchors()) == 3


def _copy_database(desk: Desk, folder: Path) -> Path:
    desk.ws.db.scalar("PRAGMA wal_checkpoint(TRUNCATE)")
    folder.mkdir()
    shutil.copy2(desk.ws.workspace.database, folder / "sealdesk.db")
    return folder / "sealdesk.db"


def _restore_database(desk: Desk, backup: Path) -> None:
    target = desk.ws.workspace.database
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy2(backup, target)


def test_batch_roots_get_a_timestamp_when_a_tsa_is_set(
    desk: Desk, tmp_path: Path
) -> None:
    from asn1crypto import cms, tsp

    from tests.stamping.pki import running_pki

    simulate_stampings(desk.ws.db, 3)
    (tmp_path / "pki").mkdir()
    with running_pki(tmp_path / "pki") as pki:
        desk.configure(tsa__url=pki.tsa_url)
        report = desk.sync(flush=True)
    assert report.timestamped == 1

    bundle = evidence_bundle(desk.ws.db, desk.ws.info, 1)
    stamp = bundle["timestamp"]
    assert stamp is not None
    token = cms.ContentInfo.load(base64.b64decode(stamp["token"]))
    info = token["content"]["encap_content_info"]["content"].parsed
    assert isinstance(info, tsp.TSTInfo)
    root = bytes.fromhex(bundle["inclusion"]["root"])
    assert info["message_imprint"]["hashed_message"].native == (
        hashlib.sha256(root).digest()
    )
    assert stamp["time"].startswith(str(info["gen_time"].native.year))


class _GarbledNode(BaseHTTPRequestHandler):
    """A broken node: it answers every call with a result nobody can read."""

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        request = json.loads(self.rfile.read(length))
        body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": "zz"})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_an_unreadable_node_answer_cannot_verify(desk: Desk) -> None:
    simulate_stampings(desk.ws.db, 1)
    desk.sync(flush=True)
    bundle = evidence_bundle(desk.ws.db, desk.ws.info, 1)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GarbledNode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        check = verify_evidence(bundle, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert check.outcome is Outcome.CANNOT_VERIFY
    assert check.reason is not None
    assert "cannot be read" in check.reason.en
