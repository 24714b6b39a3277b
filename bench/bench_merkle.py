"""Benchmark: an evidence batch of 100,000 leaves, its Merkle tree and every
leaf's inclusion proof, against the floor of hashing the same leaves once with
plain SHA-256. A second line times checking all those proofs against the same
floor.

Run from the repository root: ``.venv/bin/python bench/bench_merkle.py``.
"""

import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.evidence.canonical import canonical_json
from app.evidence.merkle import MerkleTree, verify_inclusion

LEAVES = 100_000
ROUNDS = 3


def _records(count: int) -> list[bytes]:
    """Leaves shaped like real evidence records, as canonical JSON."""
    return [
        canonical_json(
            {
                "document_sha256": hashlib.sha256(b"document %d" % i).hexdigest(),
                "seal_id": f"seal-{i % 50:04d}",
                "stamped_at": "2025-01-01T08:00:00Z",
                "usage_log_seq": i,
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


def _line(figure: str, value: float, baseline: str, floor: float) -> str:
    return (
        f"{figure}: {value * 1000:.1f} ms | baseline {baseline}: "
        f"{floor * 1000:.1f} ms | ratio {value / floor:.2f}"
    )


def main() -> int:
    leaves = _records(LEAVES)

    def hash_floor() -> list[bytes]:
        return [hashlib.sha256(leaf).digest() for leaf in leaves]

    def build_and_prove() -> tuple[MerkleTree, list[list[bytes]]]:
        tree = MerkleTree.from_leaves(leaves)
        return tree, tree.inclusion_proofs()

    floor = _best_of(ROUNDS, hash_floor)
    built = _best_of(ROUNDS, build_and_prove)
    print(
        _line(
            f"tree + all inclusion proofs, {LEAVES} leaves",
            built,
            f"sha256 of the same {LEAVES} leaves",
            floor,
        )
    )

    tree, proofs = build_and_prove()
    leaf_hashes = tree.leaf_hashes

    def verify_all() -> None:
        for index, proof in enumerate(proofs):
            verify_inclusion(leaf_hashes[index], index, LEAVES, proof, tree.root)

    checked = _best_of(ROUNDS, verify_all)
    print(
        _line(
            f"verify all {LEAVES} inclusion proofs",
            checked,
            f"sha256 of the same {LEAVES} leaves",
            floor,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
