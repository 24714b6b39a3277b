"""``sealdesk sync`` as a real process against a real anvil node: an outage with
killed sync processes, a rolled-back database, and the evidence commands."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from app.evidence.anchor import ANCHOR_ADDRESS, import_account
from app.evidence.merkle import verify_inclusion
from app.evidence.sync import evidence_bundle
from app.evidence.verify import decode_anchor, verify_evidence
from app.settings import check_setting
from app.workspace import (
    GivenPassphrase,
    choose_custody,
    init_workspace,
    open_workspace,
)
from storage.outbox import BatchState, batches, leaves_of
from storage.settings import set_setting
from tests.support.anvil import (
    CHAIN_ID,
    DEV_ADDRESS,
    DEV_KEY,
    Anvil,
    running_anvil,
    simulate_stampings,
)
from tests.support.cli import Result, sealdesk, sealdesk_process

pytestmark = pytest.mark.chain

SEALDESK = str(Path(sys.executable).with_name("sealdesk"))


def _workspace(root: Path, node: Anvil, batch_size: int) -> None:
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    with open_workspace(root, GivenPassphrase(None)) as opened:
        for key, value in (
            ("chain.rpc_url", node.url),
            ("chain.id", str(CHAIN_ID)),
            ("evidence.batch_size", str(batch_size)),
        ):
            set_setting(opened.db, key, check_setting(key, value))
        import_account(opened.db, opened.info, DEV_KEY, node.url)


def _stamp(root: Path, count: int, start: int) -> None:
    with open_workspace(root, GivenPassphrase(None)) as opened:
        simulate_stampings(opened.db, count, start=start)


def _sync(root: Path, *args: str, crash_at: str | None = None) -> Result:
    env = dict(os.environ)
    env.pop("SEALDESK_CRASH_AT", None)
    if crash_at:
        env["SEALDESK_CRASH_AT"] = crash_at
    return sealdesk_process(
        "--workspace", str(root), "sync", "--until-idle", "--flush", *args, env=env
    )


class _Lines:
    """Lines of a child's stream, read on a thread so waits can be bounded."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lines: queue.Queue[str] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        """After the child ended: the reader has met the end of the stream."""
        self._thread.join(timeout=30)
        self._stream.close()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> str:
        while True:
            line = self._lines.get(timeout=timeout)
            if text in line:
                return line


@pytest.fixture
def node(tmp_path: Path) -> Iterator[Anvil]:
    with running_anvil(tmp_path / "anvil") as started:
        yield started


@pytest.mark.slow
def test_outage_with_killed_syncs_anchors_every_leaf_once_in_order(
    node: Anvil, tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    _workspace(root, node, batch_size=100)
    _stamp(root, 20, start=0)
    assert _sync(root).code == 0
    before_outage = node.transactions_to(ANCHOR_ADDRESS)
    assert len(before_outage) == 1

    node.stop()
    # Kills 1 and 2: syncs waiting out the outage with backoff, between stampings.
    _stamp(root, 500, start=20)
    _kill_while_retrying(root)
    _stamp(root, 500, start=520)
    _kill_while_retrying(root)

    node.start()
    assert node.transactions_to(ANCHOR_ADDRESS) == before_outage  # --state kept it
    # Kill 3, as the chain comes back: right after a transaction was sent,
    # before the send was recorded.
    killed = _sync(root, crash_at="after-send")
    assert killed.code == -signal.SIGKILL
    assert "crash point after-send" in killed.err
    # Kill 4: signed and stored, never sent.
    killed = _sync(root, crash_at="after-sign")
    assert killed.code == -signal.SIGKILL
    finished = _sync(root, "--json")
    assert finished.code == 0, finished.err
    assert json.loads(finished.out)["resent"] == 1

    _check_anchored_once_in_order(root, node, leaves=1020)


def _kill_while_retrying(root: Path) -> None:
    child = subprocess.Popen(
        [SEALDESK, "--workspace", str(root), "sync", "--until-idle", "--flush"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    lines = _Lines(child.stderr)
    lines.wait_for("Retrying in")
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    lines.close()


def _check_anchored_once_in_order(root: Path, node: Anvil, leaves: int) -> None:
    with open_workspace(root, GivenPassphrase(None)) as opened:
        with opened.db.transaction() as conn:
            stored = batches(conn)
            members = {b.id: leaves_of(conn, b.id) for b in stored}
        assert all(b.state is BatchState.CONFIRMED for b in stored)
        covered = [item.id for b in stored for item in members[b.id]]
        assert covered == list(range(1, leaves + 1))
        assert [b.nonce for b in stored] == list(range(len(stored)))

        for b in stored:
            for item in members[b.id]:
                assert item.proof is not None
                assert item.leaf_index is not None
                verify_inclusion(
                    item.leaf_hash, item.leaf_index, b.size, item.proof, b.root
                )
        for leaf_id in range(1, leaves + 1):
            bundle = evidence_bundle(opened.db, opened.info, leaf_id)
            check = verify_evidence(bundle, node.url, expected_sender=DEV_ADDRESS)
            assert check.valid, (leaf_id, check.reason)

    on_chain = node.transactions_to(ANCHOR_ADDRESS)
    roots = [decode_anchor(bytes.fromhex(tx["input"][2:])) for tx in on_chain]
    assert [r.root for r in roots if r] == [b.root for b in stored]
    assert len({r.root for r in roots if r}) == len(on_chain)
    assert [tx["hash"] for tx in on_chain] == [b.tx_hash for b in stored]
    blocks = [int(tx["blockNumber"], 16) for tx in on_chain]
    assert blocks == sorted(blocks)


def test_rolled_back_database_is_reported_against_the_chain(
    node: Anvil,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "ws"
    _workspace(root, node, batch_size=10)
    _stamp(root, 8, start=0)
    assert _sync(root).code == 0
    backup = tmp_path / "backup.db"
    shutil.copy2(root / "sealdesk.db", backup)  # no WAL: every process closed it
    _stamp(root, 5, start=8)
    assert _sync(root).code == 0

    def verify() -> Result:
        args = ("--workspace", str(root), "log", "verify", "--against-chain")
        return sealdesk(capsys, monkeypatch, *args)

    intact = verify()
    assert intact.code == 0, intact.err
    assert "reaches the newest head anchored on the chain (entry 13)" in intact.out

    for suffix in ("-wal", "-shm"):
        Path(f"{root / 'sealdesk.db'}{suffix}").unlink(missing_ok=True)
    shutil.copy2(backup, root / "sealdesk.db")
    rolled = verify()
    assert rolled.code == 1
    assert "Usage log intact: 8 entries" in rolled.out
    assert "holds usage-log head 13" in rolled.err
    assert "rolled back to an older copy" in rolled.err


def test_evidence_commands(
    node: Anvil,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))

    def run(*args: str, stdin: str = "") -> Result:
        return sealdesk(
            capsys, monkeypatch, "--workspace", str(root), *args, stdin=stdin
        )

    assert run("config", "set", "chain.rpc_url", node.url).code == 0
    assert run("config", "set", "chain.confirmations", "1").code == 0
    _stamp(root, 3, start=0)
    missing = run("sync", "--flush")
    assert missing.code == 1
    assert "No chain account is stored" in missing.err

    imported = run("evidence", "account", "import", "--key-stdin", stdin=DEV_KEY + "\n")
    assert imported.code == 0, imported.err
    assert imported.out.strip() == DEV_ADDRESS
    assert DEV_KEY[2:] not in (root / "logs" / "sealdesk.log").read_text()

    status = json.loads(run("evidence", "status", "--json").out)
    assert (status["pending"], status["confirmed"]) == (3, 0)
    assert run("evidence", "proof", "1").code == 1

    synced = sealdesk_process(
        "--workspace", str(root), "sync", "--until-idle", "--flush"
    )
    assert synced.code == 0, synced.err
    status = json.loads(run("evidence", "status", "--json").out)
    assert (status["pending"], status["confirmed"]) == (0, 3)
    assert status["last_anchor_tx"] is not None

    bundle = tmp_path / "leaf-2.json"
    assert run("evidence", "proof", "2", "-o", str(bundle)).code == 0
    content: dict[str, Any] = json.loads(bundle.read_text(encoding="utf-8"))
    assert content["record"]["log_seq"] == 2
    checked = run("evidence", "verify", str(bundle), "--rpc-url", node.url)
    assert checked.code == 0, checked.err
    assert "The evidence is valid." in checked.out

    content["record"]["officer"] = "mallory"
    bundle.write_text(json.dumps(content), encoding="utf-8")
    refused = run("evidence", "verify", str(bundle), "--json")
    assert refused.code == 1
    assert json.loads(refused.out)["outcome"] == "invalid"
