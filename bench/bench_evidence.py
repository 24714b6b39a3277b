"""Benchmark: evidence batches, each figure beside a baseline from the same run.

1. Building the Merkle tree of a 100,000-leaf batch, per leaf, against hashing
   the same leaves once with plain SHA-256 (target: at most 2 µs a leaf);
   and the same with every leaf's inclusion proof, as the sync worker does.
2. Checking one inclusion proof, against one SHA-256 (target: at most 0.1 ms).
3. Writing a stamping's usage-log entry with its evidence leaf, against the
   log entry alone: what the outbox adds to every stamping.
4. 10,000 stampings synced with the default batch settings, against one
   transaction per stamping (target: at most 10 transactions). This starts a
   real anvil node from ``node_modules`` (run ``npm install`` first).

Run from the repository root: ``.venv/bin/python bench/bench_evidence.py``.
"""

import hashlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.errors import Cancelled
from app.evidence.anchor import ANCHOR_ADDRESS, import_account
from app.evidence.canonical import canonical_json
from app.evidence.merkle import MerkleTree, leaf_hash, verify_inclusion
from app.evidence.sync import SyncWorker
from app.settings import check_setting
from app.workspace import choose_custody, init_workspace, open_workspace
from storage.database import Database
from storage.settings import set_setting
from storage.usage_log import append
from tests.support.anvil import CHAIN_ID, DEV_KEY, running_anvil, simulate_stampings

LEAVES = 100_000
STAMPINGS = 10_000
ROUNDS = 3
PASSPHRASE = "benchmark passphrase, not a secret"


class _Answer:
    def passphrase(self, workspace: Path, *, new: bool) -> str:
        return PASSPHRASE

    def recovery_key(self, workspace: Path) -> str:
        raise Cancelled


def _records(count: int) -> list[bytes]:
    return [
        canonical_json(
            {
                "version": 1,
                "kind": "stamp",
                "document_sha256_before": hashlib.sha256(b"in %d" % i).hexdigest(),
                "document_sha256_after": hashlib.sha256(b"out %d" % i).hexdigest(),
                "seal_id": f"seal-{i % 50:04d}",
                "cert_sha256": hashlib.sha256(b"cert %d" % (i % 50)).hexdigest(),
                "signer": "CN=合同专用章",
                "officer": f"officer-{i % 20}",
                "approval_id": f"approval-{i}",
                "time": "2026-02-01T09:00:00.000Z",
                "time_source": "tsa",
                "device_id": "desk-01",
                "log_seq": i + 1,
                "log_entry_hash": hashlib.sha256(b"log %d" % i).hexdigest(),
                "details": {},
            }
        )
        for i in range(count)
    ]


def _best_of(rounds: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _line(figure: str, value: float, unit: str, baseline: str, floor: float) -> str:
    return (
        f"{figure}: {value:.3f} {unit} | baseline {baseline}: {floor:.3f} {unit} "
        f"| ratio {value / floor:.2f}"
    )


def _tree_figures() -> None:
    leaves = _records(LEAVES)
    stored = [leaf_hash(x) for x in leaves]
    floor = _best_of(ROUNDS, lambda: [hashlib.sha256(x).digest() for x in leaves])
    build = _best_of(ROUNDS, lambda: MerkleTree(stored))
    raw = _best_of(ROUNDS, lambda: MerkleTree.from_leaves(leaves))
    both = _best_of(ROUNDS, lambda: MerkleTree(stored).inclusion_proofs())
    per = 1e6 / LEAVES
    sha = f"sha256 of the same {LEAVES} leaves"
    # The outbox stores each leaf's hash when the leaf is written, so the
    # worker builds from leaf hashes; from record bytes adds a hash per leaf.
    for figure, value in (
        (f"tree build from stored leaf hashes, {LEAVES} leaves", build),
        ("tree build from record bytes", raw),
        ("tree build from leaf hashes + every proof", both),
    ):
        print(_line(figure, value * per, "µs/leaf", sha, floor * per))

    tree = MerkleTree.from_leaves(leaves)
    hashes, proofs = tree.leaf_hashes, tree.inclusion_proofs()
    sample = range(0, LEAVES, 97)

    def check() -> None:
        for i in sample:
            verify_inclusion(hashes[i], i, LEAVES, proofs[i], tree.root)

    one = _best_of(ROUNDS, check) / len(sample) * 1e3
    digest = _best_of(ROUNDS, lambda: [leaf_hash(leaves[i]) for i in sample])
    print(
        _line(
            f"inclusion proof check ({len(proofs[0])} hashes)",
            one,
            "ms",
            "one sha256 of a leaf",
            digest / len(sample) * 1e3,
        )
    )


def _stamping_figures(folder: Path) -> None:
    root = folder / "ws"
    init_workspace(root, choose_custody("passphrase"), _Answer())
    with running_anvil(folder / "anvil") as node, open_workspace(root, _Answer()) as ws:
        for key, value in (("chain.rpc_url", node.url), ("chain.id", str(CHAIN_ID))):
            set_setting(ws.db, key, check_setting(key, value))
        import_account(ws.db, ws.info, DEV_KEY, node.url)

        count = 200
        alone = _timed(lambda: _log_only(ws.db, count)) / count * 1e3
        with_leaf = _timed(lambda: simulate_stampings(ws.db, count)) / count * 1e3
        print(
            _line(
                "stamping transaction with its evidence leaf",
                with_leaf,
                "ms",
                "usage-log entry alone",
                alone,
            )
        )

        simulate_stampings(ws.db, STAMPINGS - count, start=count)
        worker = SyncWorker(ws.db, ws.info)
        worker.run_until_idle(flush=False, timeout=300, poll=0.1)
        txs = len(node.transactions_to(ANCHOR_ADDRESS))
        waiting = ws.db.scalar(
            "SELECT count(*) FROM evidence_leaves WHERE batch_id IS NULL"
        )
        print(
            f"anchor transactions for {STAMPINGS} stampings (default batch "
            f"settings, {waiting} leaves left waiting): {txs} tx | baseline one per "
            f"stamping: {STAMPINGS} tx | ratio {txs / STAMPINGS:.4f}"
        )


def _log_only(db: Database, count: int) -> None:
    for n in range(count):
        with db.transaction() as conn:
            append(conn, "stamp", actor="officer-1", details={"n": n})


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> int:
    _tree_figures()
    with tempfile.TemporaryDirectory(prefix="sealdesk-bench-") as folder:
        _stamping_figures(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
