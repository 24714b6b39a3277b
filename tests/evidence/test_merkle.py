"""Tests of the RFC 9162 Merkle tree: the shared proof vectors, a reference built
straight from the RFC's recursive definitions, and property tests."""

import base64
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.evidence.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus" / "merkle"

# The leaves the shared vectors' happy paths are built over.
VECTOR_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]

property_settings = settings(database=None, deadline=None)


def _vector_files(kind: str) -> list[Path]:
    files = sorted((CORPUS / kind).rglob("*.json"))
    if not files:
        raise FileNotFoundError(f"no {kind} proof vectors under {CORPUS}")
    return files


def _vector_id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def _load(path: Path) -> dict[str, Any]:
    vector: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return vector


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def _proof(vector: dict[str, Any]) -> list[bytes]:
    return [_b64(item) for item in vector["proof"] or []]


def _flip(value: bytes, bit: int) -> bytes:
    flipped = bytearray(value)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


@functools.cache
def _hashes(size: int) -> tuple[bytes, ...]:
    return tuple(leaf_hash(b"evidence record %d" % i) for i in range(size))


# --- reference: RFC 9162 section 2.1, written recursively as in the RFC ---------


def _split(size: int) -> int:
    split = 1
    while split * 2 < size:
        split *= 2
    return split


def _ref_root(hashes: tuple[bytes, ...]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(_ref_root(hashes[:k]), _ref_root(hashes[k:]))


def _ref_path(index: int, hashes: tuple[bytes, ...]) -> list[bytes]:
    if len(hashes) == 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*_ref_path(index, hashes[:k]), _ref_root(hashes[k:])]
    return [*_ref_path(index - k, hashes[k:]), _ref_root(hashes[:k])]


def _ref_subproof(old: int, hashes: tuple[bytes, ...], complete: bool) -> list[bytes]:
    if old == len(hashes):
        return [] if complete else [_ref_root(hashes)]
    k = _split(len(hashes))
    if old <= k:
        return [*_ref_subproof(old, hashes[:k], complete), _ref_root(hashes[k:])]
    return [*_ref_subproof(old - k, hashes[k:], False), _ref_root(hashes[:k])]


# --- shared vectors ---------------------------------------------------------------


@pytest.mark.parametrize("path", _vector_files("inclusion"), ids=_vector_id)
def test_inclusion_vector(path: Path) -> None:
    vector = _load(path)
    args = (
        _b64(vector["leafHash"]),
        vector["leafIdx"],
        vector["treeSize"],
        _proof(vector),
        _b64(vector["root"]),
    )

    if vector["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", _vector_files("consistency"), ids=_vector_id)
def test_consistency_vector(path: Path) -> None:
    vector = _load(path)
    args = (
        vector["size1"],
        vector["size2"],
        _b64(vector["root1"]),
        _b64(vector["root2"]),
        _proof(vector),
    )

    if vector["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


@pytest.mark.parametrize("kind", ["inclusion", "consistency"])
def test_vectors_hold_both_outcomes(kind: str) -> None:
    outcomes = [_load(path)["wantErr"] for path in _vector_files(kind)]

    assert outcomes.count(False) >= 5
    assert outcomes.count(True) >= 50


@pytest.mark.parametrize(
    "path", sorted(CORPUS.glob("inclusion/[0-9]*/happy-path.json")), ids=_vector_id
)
def test_generated_inclusion_proof_equals_vector(path: Path) -> None:
    vector = _load(path)
    hashes = [leaf_hash(data) for data in VECTOR_LEAVES[: vector["treeSize"]]]

    assert root_from_leaf_hashes(hashes) == _b64(vector["root"])
    assert hashes[vector["leafIdx"]] == _b64(vector["leafHash"])
    assert inclusion_proof(hashes, vector["leafIdx"]) == _proof(vector)


@pytest.mark.parametrize(
    "path", sorted(CORPUS.glob("consistency/[0-9]*/happy-path.json")), ids=_vector_id
)
def test_generated_consistency_proof_equals_vector(path: Path) -> None:
    vector = _load(path)
    hashes = [leaf_hash(data) for data in VECTOR_LEAVES[: vector["size2"]]]

    assert root(VECTOR_LEAVES[: vector["size1"]]) == _b64(vector["root1"])
    assert root(VECTOR_LEAVES[: vector["size2"]]) == _b64(vector["root2"])
    assert consistency_proof(hashes, vector["size1"]) == _proof(vector)


# --- hashing and construction -------------------------------------------------------


def test_hashes_are_domain_separated_sha256() -> None:
    left, right = b"\x11" * 32, b"\x22" * 32

    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert root([]) == EMPTY_ROOT
    assert EMPTY_ROOT.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert MerkleTree([]).inclusion_proofs() == []


def test_single_leaf_root_is_its_leaf_hash() -> None:
    assert root([b"only"]) == leaf_hash(b"only")


@pytest.mark.parametrize("size", range(70))
def test_tree_matches_rfc_recursive_definition(size: int) -> None:
    hashes = _hashes(size)
    tree = MerkleTree(hashes)

    assert tree.size == size
    assert tree.root == _ref_root(hashes)
    expected_paths = [_ref_path(index, hashes) for index in range(size)]
    assert tree.inclusion_proofs() == expected_paths
    assert [tree.inclusion_proof(i) for i in range(size)] == expected_paths
    assert [tree.consistency_proof(old) for old in range(1, size + 1)] == [
        _ref_subproof(old, hashes, True) for old in range(1, size + 1)
    ]


def test_root_over_data_equals_root_over_leaf_hashes() -> None:
    leaves = [b"record %d" % i for i in range(11)]

    assert root(leaves) == root_from_leaf_hashes([leaf_hash(d) for d in leaves])
    assert MerkleTree.from_leaves(leaves).root == root(leaves)


def test_tree_refuses_leaf_data_in_place_of_leaf_hashes() -> None:
    with pytest.raises(ValueError, match="leaf hash 1"):
        MerkleTree([leaf_hash(b"a"), b"not a hash"])


@pytest.mark.parametrize("index", [-1, 5, 6])
def test_inclusion_proof_refuses_index_outside_tree(index: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        inclusion_proof(_hashes(5), index)


@pytest.mark.parametrize("old_size", [-1, 0, 6])
def test_consistency_proof_refuses_sizes_outside_tree(old_size: int) -> None:
    with pytest.raises(ValueError, match="old size"):
        consistency_proof(_hashes(5), old_size)


# --- verification errors -------------------------------------------------------------


def test_root_mismatch_shows_expected_and_calculated_root_in_both_languages() -> None:
    hashes = _hashes(6)
    tree = MerkleTree(hashes)
    wrong_root = _flip(tree.root, 0)

    with pytest.raises(ProofError) as caught:
        verify_inclusion(hashes[3], 3, 6, tree.inclusion_proof(3), wrong_root)

    error = caught.value
    assert error.expected == wrong_root
    assert error.calculated == tree.root
    assert str(error) == error.en
    for message in (error.en, error.zh):
        assert wrong_root.hex() in message
        assert tree.root.hex() in message
    assert "包含证明" in error.zh


def test_wrong_proof_length_is_reported_before_hashing() -> None:
    hashes = _hashes(6)
    proof = inclusion_proof(hashes, 3)

    with pytest.raises(ProofError, match="has 4 hashes; it needs 3") as caught:
        verify_inclusion(hashes[3], 3, 6, [*proof, proof[0]], root(hashes))
    assert caught.value.calculated is None
    assert "应为 3 个" in caught.value.zh


def test_proof_hash_of_wrong_length_is_reported() -> None:
    hashes = _hashes(4)
    proof = inclusion_proof(hashes, 0)
    proof[1] = proof[1][:31]

    with pytest.raises(ProofError, match="Hash 1 of the proof is 31 bytes"):
        verify_inclusion(hashes[0], 0, 4, proof, root_from_leaf_hashes(hashes))


def test_consistency_from_empty_tree_is_refused() -> None:
    with pytest.raises(ProofError, match="at least one leaf") as caught:
        verify_consistency(0, 3, EMPTY_ROOT, root_from_leaf_hashes(_hashes(3)), [])
    assert "至少包含一个叶子" in caught.value.zh


def test_consistency_mismatch_names_the_earlier_root() -> None:
    hashes = _hashes(7)
    proof = consistency_proof(hashes, 3)
    old_root = root_from_leaf_hashes(hashes[:3])
    wrong_old_root = _flip(old_root, 9)

    with pytest.raises(ProofError, match="earlier root") as caught:
        verify_consistency(3, 7, wrong_old_root, root_from_leaf_hashes(hashes), proof)
    assert caught.value.expected == wrong_old_root
    assert caught.value.calculated == old_root


# --- properties ----------------------------------------------------------------------


@st.composite
def leaf_positions(draw: st.DrawFn, min_size: int = 1) -> tuple[int, int]:
    size = draw(st.integers(min_value=min_size, max_value=600))
    return size, draw(st.integers(min_value=0, max_value=size - 1))


@st.composite
def size_pairs(draw: st.DrawFn, strict: bool = False) -> tuple[int, int]:
    new_size = draw(st.integers(min_value=2 if strict else 1, max_value=600))
    highest_old = new_size - 1 if strict else new_size
    return draw(st.integers(min_value=1, max_value=highest_old)), new_size


@property_settings
@given(leaf_positions())
def test_generated_inclusion_proofs_verify(position: tuple[int, int]) -> None:
    size, index = position
    hashes = _hashes(size)
    tree = MerkleTree(hashes)

    verify_inclusion(hashes[index], index, size, tree.inclusion_proof(index), tree.root)


@property_settings
@given(leaf_positions(min_size=2), st.data())
def test_inclusion_fails_with_flipped_bit_in_proof(
    position: tuple[int, int], data: st.DataObject
) -> None:
    size, index = position
    hashes = _hashes(size)
    tree = MerkleTree(hashes)
    proof = tree.inclusion_proof(index)
    which = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
    proof[which] = _flip(proof[which], data.draw(st.integers(0, 255)))

    with pytest.raises(ProofError) as caught:
        verify_inclusion(hashes[index], index, size, proof, tree.root)
    assert caught.value.calculated is not None


@property_settings
@given(leaf_positions(), st.integers(0, 255))
def test_inclusion_fails_with_flipped_bit_in_root_or_leaf(
    position: tuple[int, int], bit: int
) -> None:
    size, index = position
    hashes = _hashes(size)
    tree = MerkleTree(hashes)
    proof = tree.inclusion_proof(index)

    with pytest.raises(ProofError):
        verify_inclusion(hashes[index], index, size, proof, _flip(tree.root, bit))
    with pytest.raises(ProofError):
        verify_inclusion(_flip(hashes[index], bit), index, size, proof, tree.root)


@property_settings
@given(leaf_positions(min_size=2), st.data())
def test_inclusion_proof_holds_for_its_own_index_only(
    position: tuple[int, int], data: st.DataObject
) -> None:
    size, index = position
    other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index))
    hashes = _hashes(size)
    tree = MerkleTree(hashes)

    with pytest.raises(ProofError):
        verify_inclusion(
            hashes[index], other, size, tree.inclusion_proof(index), tree.root
        )


@property_settings
@given(size_pairs())
def test_generated_consistency_proofs_verify(sizes: tuple[int, int]) -> None:
    old_size, new_size = sizes
    hashes = _hashes(new_size)
    proof = consistency_proof(hashes, old_size)

    verify_consistency(
        old_size,
        new_size,
        root_from_leaf_hashes(hashes[:old_size]),
        root_from_leaf_hashes(hashes),
        proof,
    )


@property_settings
@given(size_pairs(strict=True), st.data())
def test_consistency_fails_with_flipped_bit_in_proof(
    sizes: tuple[int, int], data: st.DataObject
) -> None:
    old_size, new_size = sizes
    hashes = _hashes(new_size)
    proof = consistency_proof(hashes, old_size)
    which = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
    proof[which] = _flip(proof[which], data.draw(st.integers(0, 255)))

    with pytest.raises(ProofError) as caught:
        verify_consistency(
            old_size,
            new_size,
            root_from_leaf_hashes(hashes[:old_size]),
            root_from_leaf_hashes(hashes),
            proof,
        )
    assert caught.value.calculated is not None


@property_settings
@given(size_pairs(), st.integers(0, 255))
def test_consistency_fails_with_flipped_bit_in_either_root(
    sizes: tuple[int, int], bit: int
) -> None:
    old_size, new_size = sizes
    hashes = _hashes(new_size)
    proof = consistency_proof(hashes, old_size)
    old_root = root_from_leaf_hashes(hashes[:old_size])
    new_root = root_from_leaf_hashes(hashes)

    with pytest.raises(ProofError):
        verify_consistency(old_size, new_size, _flip(old_root, bit), new_root, proof)
    with pytest.raises(ProofError):
        verify_consistency(old_size, new_size, old_root, _flip(new_root, bit), proof)


@property_settings
@given(size_pairs(strict=True))
def test_consistency_fails_when_the_later_tree_differs(sizes: tuple[int, int]) -> None:
    old_size, new_size = sizes
    hashes = list(_hashes(new_size))
    hashes[old_size - 1] = leaf_hash(b"rewritten record")

    with pytest.raises(ProofError):
        verify_consistency(
            old_size,
            new_size,
            root_from_leaf_hashes(_hashes(old_size)),
            root_from_leaf_hashes(hashes),
            consistency_proof(hashes, old_size),
        )
