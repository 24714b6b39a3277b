"""A real anvil node for the evidence tests, and simulated stampings to anchor.

anvil comes from npm (``@foundry-rs/anvil``, pinned in ``package.json``;
``npm install`` puts it under ``node_modules``). Each node listens on
127.0.0.1 on a free port and keeps its chain in a ``--state`` file, so it can
be stopped and started again with the same blocks. Readiness is a bounded
poll of ``eth_chainId``.
"""

from __future__ import annotations

import hashlib
import json
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.evidence.record import EvidenceKind, EvidenceRecord, TimeSource, enqueue
from storage.database import Database
from storage.usage_log import append

__all__ = [
    "ANVIL",
    "CHAIN_ID",
    "DEV_ADDRESS",
    "DEV_KEY",
    "Anvil",
    "running_anvil",
    "simulate_stampings",
]

REPO = Path(__file__).resolve().parents[2]
_NATIVE = REPO / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
# The native binary when present: the npm wrapper is a node process that
# forwards SIGTERM but would leave anvil running if it were itself killed.
ANVIL = _NATIVE if _NATIVE.exists() else REPO / "node_modules" / ".bin" / "anvil"
CHAIN_ID = 31337
# anvil's first development account: its key is printed by anvil at start and
# is the same on every anvil (derived from the well-known test mnemonic).
DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
DEV_ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"
_START_SECONDS = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Anvil:
    """One anvil process; ``stop()`` and ``start()`` keep the chain."""

    def __init__(self, folder: Path) -> None:
        if not ANVIL.exists():
            raise FileNotFoundError(
                f"{ANVIL} is missing: run 'npm install' in {REPO} first"
            )
        self.folder = folder
        self.state = folder / "anvil-state.json"
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.folder / "anvil.log").open("ab")
        self._process = subprocess.Popen(
            [
                str(ANVIL),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--state",
                str(self.state),
                "--chain-id",
                str(CHAIN_ID),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + _START_SECONDS
        while time.monotonic() < deadline:
            try:
                if int(self.rpc("eth_chainId"), 16) == CHAIN_ID:
                    return
            except OSError:
                pass
            try:
                # Waiting on the process both paces the poll and notices a crash.
                code = self._process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"anvil exited with {code}; see {self.folder}")
        self.stop()
        raise TimeoutError(f"anvil did not answer within {_START_SECONDS} s")

    def stop(self) -> None:
        """Stop gracefully, so anvil writes its state file."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    @property
    def running(self) -> bool:
        return self._process is not None

    def rpc(self, method: str, *params: object) -> Any:
        body = json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        ).encode()
        # The address is always http://127.0.0.1:<port>, made above.
        request = urllib.request.Request(  # noqa: S310
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            reply = json.loads(answer.read())
        if reply.get("error"):
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def transactions_to(self, address: str) -> list[dict[str, Any]]:
        """Every mined transaction to ``address``, read block by block."""
        found = []
        last = int(self.rpc("eth_blockNumber"), 16)
        for number in range(last + 1):
            block = self.rpc("eth_getBlockByNumber", hex(number), True)
            for tx in block["transactions"]:
                if (tx.get("to") or "").lower() == address.lower():
                    found.append(tx)
        return found


@contextmanager
def running_anvil(folder: Path) -> Iterator[Anvil]:
    folder.mkdir(parents=True, exist_ok=True)
    node = Anvil(folder)
    node.start()
    try:
        yield node
    finally:
        node.stop()


def simulate_stampings(db: Database, count: int, *, start: int = 0) -> list[int]:
    """Append ``count`` stamping log entries, each with its evidence leaf in
    the same transaction, the way the stamping service records a stamping."""
    leaf_ids = []
    for n in range(start, start + count):
        before = hashlib.sha256(b"document %d" % n).hexdigest()
        after = hashlib.sha256(b"stamped document %d" % n).hexdigest()
        with db.transaction() as conn:
            entry = append(
                conn,
                "stamp",
                actor="officer-1",
                seal_id="seal-contract",
                document_sha256=after,
                details={"title": f"合同第{n}号"},
            )
            record = EvidenceRecord(
                kind=EvidenceKind.STAMP,
                time=entry.at,
                time_source=TimeSource.CLOCK,
                device_id="desk-01",
                log_seq=entry.seq,
                log_entry_hash=entry.entry_hash,
                document_sha256_before=before,
                document_sha256_after=after,
                seal_id="seal-contract",
                cert_sha256=hashlib.sha256(b"seal certificate").hexdigest(),
                signer="CN=合同专用章",
                officer="officer-1",
                approval_id=f"approval-{n}",
            )
            leaf_ids.append(enqueue(conn, record))
    return leaf_ids
