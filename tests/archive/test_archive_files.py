"""The encrypted archive file format: round trip, no plaintext, tamper evidence."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import pytest

from storage.archive_files import (
    ArchiveDamaged,
    ArchiveKey,
    ArchiveKeyMismatch,
    ArchiveMissing,
    ArchiveStore,
)

CHUNK = 4096
HEADER = 45
SEALED = CHUNK + 16


@pytest.fixture
def store(tmp_path: Path) -> ArchiveStore:
    return ArchiveStore(tmp_path / "archive", ArchiveKey(secrets.token_bytes(32)))


def pdf_like(path: Path, size: int) -> Path:
    body = b"%PDF-1.7\n" + secrets.token_bytes(size - 9)
    path.write_bytes(body)
    return path


def test_multi_chunk_round_trip(store: ArchiveStore, tmp_path: Path) -> None:
    src = pdf_like(tmp_path / "doc.pdf", CHUNK * 5 + 123)
    stored = store.store(src, chunk_size=CHUNK)
    assert stored.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert store.path_for(stored.sha256).stat().st_size == HEADER + 6 * 16 + (
        CHUNK * 5 + 123
    )
    out = tmp_path / "out.pdf"
    store.retrieve(stored.sha256, out)
    assert out.read_bytes() == src.read_bytes()


@pytest.mark.parametrize("size", [0, 1, CHUNK, CHUNK * 2])
def test_edge_sizes_round_trip(store: ArchiveStore, tmp_path: Path, size: int) -> None:
    src = tmp_path / "doc.bin"
    src.write_bytes(secrets.token_bytes(size))
    stored = store.store(src, chunk_size=CHUNK)
    out = tmp_path / "out.bin"
    store.retrieve(stored.sha256, out)
    assert out.read_bytes() == src.read_bytes()


def test_same_content_twice_is_a_no_op(store: ArchiveStore, tmp_path: Path) -> None:
    src = pdf_like(tmp_path / "doc.pdf", 10_000)
    first = store.store(src, chunk_size=CHUNK)
    path = store.path_for(first.sha256)
    before = path.read_bytes()
    second = store.store(src, chunk_size=CHUNK)
    assert second.sha256 == first.sha256
    assert path.read_bytes() == before
    assert len(list(store.files())) == 1


def test_no_plaintext_under_archive(store: ArchiveStore, tmp_path: Path) -> None:
    src = pdf_like(tmp_path / "doc.pdf", CHUNK * 3 + 77)
    plain = src.read_bytes()
    stored = store.store(src, chunk_size=CHUNK)
    on_disk = b"".join(p.read_bytes() for p in store.files())
    for start in range(0, len(plain) - 32, 997):
        assert plain[start : start + 32] not in on_disk
    assert b"%PDF" not in on_disk
    # Nor is the document's hash: the name is keyed.
    assert stored.sha256 not in str(store.path_for(stored.sha256))
    assert bytes.fromhex(stored.sha256) not in on_disk


def stored_file(store: ArchiveStore, tmp_path: Path, name: str) -> tuple[str, Path]:
    src = pdf_like(tmp_path / name, CHUNK * 3 + 500)
    sha = store.store(src, chunk_size=CHUNK).sha256
    return sha, store.path_for(sha)


def assert_refused(store: ArchiveStore, sha: str, tmp_path: Path) -> None:
    out = tmp_path / "out.pdf"
    with pytest.raises(ArchiveDamaged):
        store.retrieve(sha, out)
    assert not out.exists()
    assert not list(tmp_path.glob("out.pdf*"))
    with pytest.raises(ArchiveDamaged):
        store.check(sha)


@pytest.mark.parametrize("offset", [0, 9, HEADER + 5, HEADER + SEALED + 100, -1])
def test_flipped_byte_is_caught(
    store: ArchiveStore, tmp_path: Path, offset: int
) -> None:
    sha, path = stored_file(store, tmp_path, "doc.pdf")
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    assert_refused(store, sha, tmp_path)


@pytest.mark.parametrize("cut", [HEADER + SEALED, HEADER + 2 * SEALED, HEADER + 10, 20])
def test_truncation_is_caught(store: ArchiveStore, tmp_path: Path, cut: int) -> None:
    sha, path = stored_file(store, tmp_path, "doc.pdf")
    path.write_bytes(path.read_bytes()[:cut])
    assert_refused(store, sha, tmp_path)


def test_appended_data_is_caught(store: ArchiveStore, tmp_path: Path) -> None:
    sha, path = stored_file(store, tmp_path, "doc.pdf")
    path.write_bytes(path.read_bytes() + b"\x00" * 16)
    assert_refused(store, sha, tmp_path)


def test_swapped_chunks_are_caught(store: ArchiveStore, tmp_path: Path) -> None:
    sha, path = stored_file(store, tmp_path, "doc.pdf")
    data = path.read_bytes()
    first = data[HEADER : HEADER + SEALED]
    second = data[HEADER + SEALED : HEADER + 2 * SEALED]
    path.write_bytes(data[:HEADER] + second + first + data[HEADER + 2 * SEALED :])
    assert_refused(store, sha, tmp_path)


def test_swapped_files_are_caught(store: ArchiveStore, tmp_path: Path) -> None:
    sha_a, path_a = stored_file(store, tmp_path, "a.pdf")
    sha_b, path_b = stored_file(store, tmp_path, "b.pdf")
    data_a, data_b = path_a.read_bytes(), path_b.read_bytes()
    path_a.write_bytes(data_b)
    path_b.write_bytes(data_a)
    assert_refused(store, sha_a, tmp_path)
    assert_refused(store, sha_b, tmp_path)


def test_missing_file_and_other_key(store: ArchiveStore, tmp_path: Path) -> None:
    sha, path = stored_file(store, tmp_path, "doc.pdf")
    other = ArchiveStore(store.root, ArchiveKey(secrets.token_bytes(32)))
    moved = other.path_for(sha)
    moved.parent.mkdir(parents=True, exist_ok=True)
    moved.write_bytes(path.read_bytes())
    with pytest.raises(ArchiveKeyMismatch):
        other.check(sha)
    path.unlink()
    with pytest.raises(ArchiveMissing):
        store.retrieve(sha, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_source_changed_while_storing_leaves_nothing(
    store: ArchiveStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.archive_files as module

    src = pdf_like(tmp_path / "doc.pdf", CHUNK * 2)
    monkeypatch.setattr(
        module,
        "_hash_file",
        lambda p: (hashlib.sha256(b"other").hexdigest(), CHUNK * 2),
    )
    with pytest.raises(module.ArchiveSourceError):
        store.store(src, chunk_size=CHUNK)
    assert list(store.files()) == []
