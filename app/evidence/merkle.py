"""Merkle trees over evidence leaves, with inclusion and consistency proofs.

This follows RFC 9162 section 2.1 with SHA-256: a leaf hashes as
SHA-256(0x00 || leaf), an interior node as SHA-256(0x01 || left || right), and the
empty tree's root is SHA-256 of nothing. A stamping's evidence record, written as
canonical JSON, is one leaf; a batch of leaves is one tree whose root is anchored
on the chain. Inclusion proofs show that a record is in an anchored batch, and
consistency proofs show that a later tree extends an earlier one.

The code is hand-written on purpose. The algorithms are a few dozen lines, and the
maintained PyPI packages for Merkle trees either use a proof layout of their own
or only check inclusion proofs. An evidence package must carry proofs in the RFC's
own form (a list of sibling hashes), so that anyone can check them with the RFC
alone, and SealDesk must both produce and check them.

A tree is kept as level arrays. Level 0 holds the leaf hashes; each level above
hashes neighbouring pairs and carries a lone last node up unchanged. This gives the
RFC's root, and node ``p`` of level ``j`` covers the leaves
``[p * 2**j, min((p + 1) * 2**j, size))``. Building costs O(n) hashes, one proof
O(log n), so all inclusion proofs of a batch cost O(n log n).

Consistency proofs are defined for ``0 < old_size <= new_size``. A check from the
empty tree proves nothing and is refused. Roots are compared as given; only leaf
hashes and proof hashes must be 32 bytes long.
"""

import hashlib
import logging
from collections.abc import Iterator, Sequence
from typing import NoReturn

from app.evidence.errors import ProofError

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MerkleTree",
    "ProofError",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "root_from_leaf_hashes",
    "verify_consistency",
    "verify_inclusion",
]

log = logging.getLogger(__name__)

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """Hash one leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


class MerkleTree:
    """A tree built once over leaf hashes, answering root and proof queries.

    Use it when a batch needs its root and every leaf's proof: the module-level
    proof functions rebuild the tree on each call.
    """

    __slots__ = ("_levels",)

    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        """Build the tree over already hashed leaves (see :func:`leaf_hash`).

        :raises ValueError: if a leaf hash is not 32 bytes long.
        """
        for position, value in enumerate(leaf_hashes):
            if len(value) != HASH_SIZE:
                raise ValueError(
                    f"leaf hash {position} is {len(value)} bytes, not {HASH_SIZE}"
                )
        self._levels = _build_levels(list(leaf_hashes))

    @classmethod
    def from_leaves(cls, leaves: Sequence[bytes]) -> "MerkleTree":
        """Build the tree over leaf data, hashing each leaf first."""
        return cls([leaf_hash(data) for data in leaves])

    @property
    def size(self) -> int:
        """Number of leaves."""
        return len(self._levels[0])

    @property
    def leaf_hashes(self) -> tuple[bytes, ...]:
        """The leaf hashes, in leaf order (a copy)."""
        return tuple(self._levels[0])

    @property
    def root(self) -> bytes:
        """The tree's root hash; :data:`EMPTY_ROOT` for a tree without leaves."""
        top = self._levels[-1]
        return top[0] if top else EMPTY_ROOT

    def inclusion_proof(self, index: int) -> list[bytes]:
        """Return the audit path of leaf ``index``, nearest sibling first.

        :raises ValueError: if ``index`` is not a leaf of this tree.
        """
        if not 0 <= index < self.size:
            raise ValueError(f"leaf index {index} outside a tree of {self.size}")
        return [
            self._levels[level][position]
            for level, position in _inclusion_nodes(index, self.size)
        ]

    def inclusion_proofs(self) -> list[list[bytes]]:
        """Return the audit path of every leaf, in leaf order.

        Paths are built from the root down, so each node's upper part is computed
        once and copied into its children instead of being walked again per leaf.
        """
        if not self.size:
            return []
        upper_paths: list[list[bytes]] = [[]]
        for nodes in reversed(self._levels[:-1]):
            paths = []
            for position in range(len(nodes)):
                above = upper_paths[position >> 1]
                sibling = position ^ 1
                if sibling < len(nodes):
                    paths.append([nodes[sibling], *above])
                else:
                    paths.append(list(above))
            upper_paths = paths
        return upper_paths

    def consistency_proof(self, old_size: int) -> list[bytes]:
        """Return the proof that this tree extends its first ``old_size`` leaves.

        :raises ValueError: unless ``0 < old_size <= size``.
        """
        if not 0 < old_size <= self.size:
            raise ValueError(
                f"old size {old_size} is not within 1..{self.size} for a "
                "consistency proof"
            )
        return [
            self._subtree(start, end)
            for start, end in _consistency_nodes(old_size, self.size)
        ]

    def _subtree(self, start: int, end: int) -> bytes:
        level = (end - start - 1).bit_length()
        return self._levels[level][start >> level]


def root(leaves: Sequence[bytes]) -> bytes:
    """Return the root of the tree over leaf data."""
    return MerkleTree.from_leaves(leaves).root


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return the root of the tree over already hashed leaves."""
    return MerkleTree(leaf_hashes).root


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """Return the audit path of leaf ``index`` (see :meth:`MerkleTree.inclusion_proof`).

    This builds the whole tree; for many proofs of one batch use :class:`MerkleTree`.
    """
    return MerkleTree(leaf_hashes).inclusion_proof(index)


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """Return the proof that the tree extends its first ``old_size`` leaves."""
    return MerkleTree(leaf_hashes).consistency_proof(old_size)


def verify_inclusion(
    leaf_hash: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    root: bytes,
) -> None:
    """Check that ``leaf_hash`` sits at ``index`` in the tree of ``tree_size``
    leaves whose root is ``root`` (RFC 9162 section 2.1.3.2).

    :raises ProofError: if the proof does not hold.
    """
    _check_hash(leaf_hash, "The leaf hash", "叶子哈希")
    if not 0 <= index < tree_size:
        _reject(
            f"Leaf index {index} is outside a tree of {tree_size} leaves.",
            f"叶子序号 {index} 超出了共 {tree_size} 个叶子的默克尔树。",
        )
    _check_proof(
        proof,
        sum(1 for _ in _inclusion_nodes(index, tree_size)),
        f"The inclusion proof for leaf {index} of {tree_size}",
        f"共 {tree_size} 个叶子的树中第 {index} 个叶子的包含证明",
    )

    calculated = _root_from_inclusion(leaf_hash, index, tree_size, proof)
    if calculated != root:
        _reject_root(
            "The inclusion proof does not lead to the expected root",
            "包含证明推算出的根哈希与预期不符",
            root,
            calculated,
        )


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> None:
    """Check that the tree of ``new_size`` leaves with root ``new_root`` extends
    the tree of ``old_size`` leaves with root ``old_root`` (RFC 9162 section
    2.1.4.2).

    :raises ProofError: if the proof does not hold, or ``old_size`` is 0.
    """
    if old_size < 1:
        _reject(
            "A consistency proof needs an earlier tree with at least one leaf.",
            "一致性证明要求较早的默克尔树至少包含一个叶子。",
        )
    if old_size > new_size:
        _reject(
            f"The earlier tree ({old_size} leaves) is larger than the later tree "
            f"({new_size} leaves).",
            f"较早的默克尔树（{old_size} 个叶子）比较晚的树（{new_size} 个叶子）还大。",
        )
    _check_proof(
        proof,
        sum(1 for _ in _consistency_nodes(old_size, new_size)),
        f"The consistency proof from {old_size} to {new_size} leaves",
        f"从 {old_size} 个叶子到 {new_size} 个叶子的一致性证明",
    )
    if old_size == new_size:
        if old_root != new_root:
            _reject_root(
                "Trees of the same size must have the same root",
                "大小相同的默克尔树根哈希必须相同",
                new_root,
                old_root,
            )
        return

    old_calculated, new_calculated = _roots_from_consistency(
        old_size, new_size, old_root, proof
    )
    if old_calculated != old_root:
        _reject_root(
            "The consistency proof does not lead to the expected earlier root",
            "一致性证明推算出的较早根哈希与预期不符",
            old_root,
            old_calculated,
        )
    if new_calculated != new_root:
        _reject_root(
            "The consistency proof does not lead to the expected later root",
            "一致性证明推算出的较晚根哈希与预期不符",
            new_root,
            new_calculated,
        )


def _build_levels(leaf_hashes: list[bytes]) -> list[list[bytes]]:
    levels = [leaf_hashes]
    while len(levels[-1]) > 1:
        below = levels[-1]
        above = [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        if len(below) % 2:
            above.append(below[-1])
        levels.append(above)
    return levels


def _inclusion_nodes(index: int, size: int) -> Iterator[tuple[int, int]]:
    """Yield (level, position) of each audit-path node of leaf ``index``."""
    level, last = 0, size - 1
    while last > 0:
        sibling = index ^ 1
        # A node without a right neighbour is carried up and has no sibling here.
        if sibling <= last:
            yield level, sibling
        index >>= 1
        last >>= 1
        level += 1


def _consistency_nodes(old_size: int, new_size: int) -> Iterator[tuple[int, int]]:
    """Yield the leaf range [start, end) of each consistency-proof node, in
    proof order, following SUBPROOF of RFC 9162 section 2.1.4.1."""
    start, end, remaining = 0, new_size, old_size
    inside_old_subtree = True
    siblings: list[tuple[int, int]] = []
    while remaining != end - start:
        split = 1 << ((end - start - 1).bit_length() - 1)
        if remaining <= split:
            siblings.append((start + split, end))
            end = start + split
        else:
            siblings.append((start, start + split))
            start += split
            remaining -= split
            inside_old_subtree = False
    # The old tree's own root is left out when the verifier already holds it.
    if not inside_old_subtree:
        yield start, end
    yield from reversed(siblings)


def _root_from_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes:
    # RFC 9162 section 2.1.3.2. The RFC also shifts fn and sn onwards after a
    # left sibling so that sn reaches 0 just as the path ends; the caller has
    # checked the path length already, and once fn == sn they stay equal, so the
    # extra shifting changes nothing here and is left out.
    fn, sn = index, size - 1
    result = leaf
    for sibling in proof:
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return result


def _roots_from_consistency(
    old_size: int, new_size: int, old_root: bytes, proof: Sequence[bytes]
) -> tuple[bytes, bytes]:
    # RFC 9162 section 2.1.4.2, with the same shortcut as _root_from_inclusion.
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1

    old_result = new_result = path[0]
    for node in path[1:]:
        if fn & 1 or fn == sn:
            old_result = node_hash(node, old_result)
            new_result = node_hash(node, new_result)
        else:
            new_result = node_hash(new_result, node)
        fn >>= 1
        sn >>= 1
    return old_result, new_result


def _check_hash(value: bytes, what_en: str, what_zh: str) -> None:
    if len(value) != HASH_SIZE:
        _reject(
            f"{what_en} is {len(value)} bytes long; a SHA-256 hash is "
            f"{HASH_SIZE} bytes.",
            f"{what_zh}长度为 {len(value)} 字节，SHA-256 哈希应为 {HASH_SIZE} 字节。",
        )


def _check_proof(
    proof: Sequence[bytes], wanted: int, what_en: str, what_zh: str
) -> None:
    if len(proof) != wanted:
        _reject(
            f"{what_en} has {len(proof)} hashes; it needs {wanted}.",
            f"{what_zh}包含 {len(proof)} 个哈希值，应为 {wanted} 个。",
        )
    for position, value in enumerate(proof):
        _check_hash(
            value,
            f"Hash {position} of the proof",
            f"证明中第 {position} 个哈希值的",
        )


def _reject(en: str, zh: str) -> NoReturn:
    log.debug("Merkle proof rejected: %s", en)
    raise ProofError(en, zh)


def _reject_root(
    what_en: str, what_zh: str, expected: bytes, calculated: bytes
) -> NoReturn:
    en = f"{what_en}: expected {expected.hex()}, calculated {calculated.hex()}."
    zh = f"{what_zh}：预期 {expected.hex()}，计算得到 {calculated.hex()}。"
    log.debug("Merkle proof rejected: %s", en)
    raise ProofError(en, zh, expected=expected, calculated=calculated)
