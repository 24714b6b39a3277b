"""Encrypted, content-addressed archive files (归档文件) and their key.

Every archived PDF is kept in the workspace's ``archive/`` folder encrypted
with AES-256-GCM, streamed in chunks so that no whole document is ever held in
memory. A file is addressed by the SHA-256 of its plaintext; storing the same
content twice writes nothing the second time.

Why this format is written here: ``cryptography`` offers AES-GCM as a one-shot
AEAD over a buffer in memory (``AESGCM``), or as one GCM stream whose tag is
checked only after the whole file has been released; it has no chunked
streaming AEAD file format, and no well-kept Python package offers one for a
plain key. The construction follows the usual online-AEAD shape:

* **Header** (45 bytes, also authenticated with every chunk): magic
  ``SDARCHIV``, format version, chunk size, a key id (so a different key is
  told apart from damage), a random 16-byte file nonce and the plaintext size.
* **Per-file key:** HKDF-SHA256 over the archive key, salted with the file
  nonce, gives the file's AES key and an 8-byte nonce prefix; chunk *i* is
  sealed with the nonce ``prefix || i``.
* **Chunk AAD:** the header, the plaintext SHA-256 the caller expects, the
  chunk index and a final-chunk flag. Reordered, swapped, dropped or appended
  chunks, a truncated file and a file moved under another document's name all
  fail authentication.

File names are an HMAC of the plaintext SHA-256 under a key derived from the
archive key, not the hash itself, so a copy of the folder does not confirm
whether a known document was ever archived here.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.database import Database
from storage.errors import StorageError
from storage.workspace_secret import derive_workspace_key

__all__ = [
    "DEFAULT_CHUNK",
    "ArchiveDamaged",
    "ArchiveError",
    "ArchiveKey",
    "ArchiveKeyMismatch",
    "ArchiveMissing",
    "ArchiveSourceError",
    "ArchiveStore",
    "StoredFile",
    "archive_key",
]

log = logging.getLogger(__name__)

DEFAULT_CHUNK = 1 << 20
_MIN_CHUNK = 16
_MAX_CHUNK = 1 << 26
_MAGIC = b"SDARCHIV"
_VERSION = 1
_HEADER = struct.Struct(">8sBI8s16sQ")
_TAG = 16
_READ = 1 << 20
_ARCHIVE_INFO = b"SealDesk archive v1"
_FILE_INFO = b"SealDesk archive file v1"
_NAME_INFO = b"SealDesk archive names v1"
_KEY_ID_INFO = b"SealDesk archive key id v1"


class ArchiveError(StorageError):
    """Base of the archive's errors."""


class ArchiveMissing(ArchiveError):
    """The encrypted file of an archive entry is not on disk."""


class ArchiveDamaged(ArchiveError):
    """An archive file fails authentication or its content hash."""


class ArchiveKeyMismatch(ArchiveError):
    """An archive file was written under another key than this workspace's."""


class ArchiveSourceError(ArchiveError):
    """The document to archive cannot be read, or changed while being read."""


@dataclass(frozen=True)
class ArchiveKey:
    """The 256-bit archive key; never shown in a repr."""

    key: bytes = field(repr=False)

    def _derive(self, info: bytes, length: int, salt: bytes | None = None) -> bytes:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info)
        return hkdf.derive(self.key)

    @property
    def key_id(self) -> bytes:
        return self._derive(_KEY_ID_INFO, 8)

    def file_name(self, sha256: str) -> str:
        name_key = self._derive(_NAME_INFO, 32)
        return hmac.new(name_key, bytes.fromhex(sha256), hashlib.sha256).hexdigest()

    def file_cipher(self, file_nonce: bytes) -> tuple[AESGCM, bytes]:
        material = self._derive(_FILE_INFO, 40, salt=file_nonce)
        return AESGCM(material[:32]), material[32:]


def archive_key(db: Database, workspace_id: str) -> ArchiveKey:
    """The archive key, derived from the workspace secret kept in the database."""
    return ArchiveKey(derive_workspace_key(db, workspace_id, _ARCHIVE_INFO))


@dataclass(frozen=True)
class StoredFile:
    """A document now held encrypted in the archive folder."""

    sha256: str
    size: int
    source_name: str


@dataclass(frozen=True)
class _Header:
    raw: bytes
    chunk_size: int
    key_id: bytes
    file_nonce: bytes
    size: int

    @property
    def chunks(self) -> int:
        return max(1, -(-self.size // self.chunk_size))

    def aad(self, sha256: bytes, index: int) -> bytes:
        final = index == self.chunks - 1
        return self.raw + sha256 + struct.pack(">QB", index, final)

    def nonce(self, prefix: bytes, index: int) -> bytes:
        return prefix + struct.pack(">I", index)


class ArchiveStore:
    """The workspace's ``archive/`` folder under one archive key."""

    def __init__(self, root: Path, key: ArchiveKey) -> None:
        self.root = root
        self._key = key

    def path_for(self, sha256: str) -> Path:
        name = self._key.file_name(_check_sha(sha256))
        return self.root / name[:2] / name[2:]

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def files(self) -> Iterator[Path]:
        """Every file in the folder, finished or not."""
        if self.root.is_dir():
            yield from (p for p in sorted(self.root.rglob("*")) if p.is_file())

    def store(self, src: Path, *, chunk_size: int = DEFAULT_CHUNK) -> StoredFile:
        """Encrypt ``src`` into the archive; a no-op when the content is there."""
        if not _MIN_CHUNK <= chunk_size <= _MAX_CHUNK:
            raise ValueError(f"chunk size {chunk_size} out of range")
        sha256, size = _hash_file(src)
        stored = StoredFile(sha256, size, src.name)
        target = self.path_for(sha256)
        if target.is_file():
            return stored
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        part = target.with_name(f"{target.name}.{secrets.token_hex(4)}.part")
        try:
            with _open_source(src) as fh, part.open("xb") as out:
                self._encrypt(fh, out, sha256, size, chunk_size, src)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, target)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        _sync_dir(target.parent)
        log.info("Archived a document of %d bytes", size)
        return stored

    def _encrypt(
        self,
        fh: BinaryIO,
        out: BinaryIO,
        sha256: str,
        size: int,
        chunk_size: int,
        src: Path,
    ) -> None:
        file_nonce = secrets.token_bytes(16)
        raw = _HEADER.pack(
            _MAGIC, _VERSION, chunk_size, self._key.key_id, file_nonce, size
        )
        header = _Header(raw, chunk_size, self._key.key_id, file_nonce, size)
        aead, prefix = self._key.file_cipher(file_nonce)
        digest, expected = hashlib.sha256(), bytes.fromhex(sha256)
        out.write(raw)
        for index in range(header.chunks):
            plain = fh.read(chunk_size)
            digest.update(plain)
            nonce = header.nonce(prefix, index)
            out.write(aead.encrypt(nonce, plain, header.aad(expected, index)))
        if fh.read(1) or digest.digest() != expected:
            raise _source_changed(src)

    def retrieve(self, sha256: str, dst: Path) -> None:
        """Decrypt into ``dst``; only a verified file is ever put there."""
        part = dst.with_name(f"{dst.name}.{secrets.token_hex(4)}.part")
        self.decrypt_to(sha256, part)
        os.replace(part, dst)
        _sync_dir(dst.parent)

    def decrypt_to(self, sha256: str, part: Path) -> None:
        """Decrypt into a new file ``part`` and verify it; removed on failure."""
        try:
            with part.open("xb") as out:
                self._decrypt(sha256, out)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            part.unlink(missing_ok=True)
            raise

    def check(self, sha256: str) -> None:
        """Decrypt and verify without writing the plaintext anywhere."""
        self._decrypt(sha256, None)

    def _decrypt(self, sha256: str, out: BinaryIO | None) -> None:
        path = self.path_for(sha256)
        try:
            fh = path.open("rb")
        except FileNotFoundError as exc:
            raise _missing(sha256) from exc
        with fh:
            header = self._read_header(fh, sha256)
            aead, prefix = self._key.file_cipher(header.file_nonce)
            digest, expected = hashlib.sha256(), bytes.fromhex(sha256)
            for index in range(header.chunks):
                length = min(header.chunk_size, header.size - index * header.chunk_size)
                sealed = fh.read(length + _TAG)
                if len(sealed) != length + _TAG:
                    raise _damaged(sha256, ("it is cut short", "文件被截短"))
                try:
                    plain = aead.decrypt(
                        header.nonce(prefix, index),
                        sealed,
                        header.aad(expected, index),
                    )
                except InvalidTag as exc:
                    raise _damaged(
                        sha256,
                        (f"chunk {index} fails its check", f"第 {index} 块校验失败"),
                    ) from exc
                digest.update(plain)
                if out is not None:
                    out.write(plain)
            if fh.read(1):
                raise _damaged(
                    sha256, ("it has data after its last chunk", "末块之后有多余数据")
                )
        if digest.digest() != expected:
            raise _damaged(sha256, ("its content hash differs", "内容摘要不符"))

    def _read_header(self, fh: BinaryIO, sha256: str) -> _Header:
        raw = fh.read(_HEADER.size)
        if len(raw) != _HEADER.size:
            raise _damaged(sha256, ("its header is cut short", "文件头被截短"))
        magic, version, chunk_size, key_id, file_nonce, size = _HEADER.unpack(raw)
        if magic != _MAGIC or version != _VERSION:
            raise _damaged(
                sha256, ("it is not a SealDesk archive file", "不是 SealDesk 归档文件")
            )
        if not _MIN_CHUNK <= chunk_size <= _MAX_CHUNK:
            raise _damaged(sha256, ("its header is invalid", "文件头无效"))
        if not hmac.compare_digest(key_id, self._key.key_id):
            raise ArchiveKeyMismatch(
                f"Archive file {sha256[:16]}… was written under another key "
                "(the workspace key changed, or the file belongs to another "
                "workspace).",
                f"归档文件 {sha256[:16]}… 使用其他密钥加密（工作区密钥已更换，"
                "或该文件属于其他工作区）。",
            )
        return _Header(raw, chunk_size, key_id, file_nonce, size)


def _check_sha(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("expected a lower-case hex SHA-256")
    return sha256


def _open_source(src: Path) -> BinaryIO:
    try:
        return src.open("rb")
    except OSError as exc:
        raise _unreadable(src, exc) from exc


def _hash_file(src: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with _open_source(src) as fh:
        try:
            while block := fh.read(_READ):
                digest.update(block)
                size += len(block)
        except OSError as exc:
            raise _unreadable(src, exc) from exc
    return digest.hexdigest(), size


def _sync_dir(folder: Path) -> None:
    # A rename is durable only once its directory is; Windows has no such call.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unreadable(src: Path, exc: OSError) -> ArchiveSourceError:
    reason = exc.strerror or type(exc).__name__
    return ArchiveSourceError(
        f"{src}: cannot read the document to archive ({reason}).",
        f"{src}：无法读取要归档的文件（{reason}）。",
    )


def _source_changed(src: Path) -> ArchiveSourceError:
    return ArchiveSourceError(
        f"{src} changed while it was being archived; archive it again.",
        f"{src} 在归档过程中被修改，请重新归档。",
    )


def _missing(sha256: str) -> ArchiveMissing:
    return ArchiveMissing(
        f"The archive file of document {sha256[:16]}… is missing from the "
        "archive folder; restore the folder from a backup.",
        f"文档 {sha256[:16]}… 的归档文件已丢失，请从备份恢复归档目录。",
    )


def _damaged(sha256: str, why: tuple[str, str]) -> ArchiveDamaged:
    return ArchiveDamaged(
        f"The archive file of document {sha256[:16]}… is damaged or was "
        f"altered ({why[0]}); restore it from a backup.",
        f"文档 {sha256[:16]}… 的归档文件已损坏或被篡改（{why[1]}），请从备份恢复。",
    )
