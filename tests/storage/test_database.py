"""The encrypted database file: unreadable without its key, every bit guarded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from storage.custody import Passphrase, RawKey
from storage.database import Database, migrations
from storage.errors import DatabaseCorrupt, StorageError, WrongKey
from storage.settings import get_setting, set_setting

MARKER = "印章-marker-7f3a9c-never-in-plaintext"


@pytest.fixture
def key() -> RawKey:
    return RawKey.generate()


@pytest.fixture
def db_path(tmp_path: Path, key: RawKey) -> Path:
    path = tmp_path / "sealdesk.db"
    with Database.create(path, key) as db:
        set_setting(db, "tsa.url", MARKER)
    return path


def test_file_does_not_look_like_sqlite(db_path: Path) -> None:
    assert not db_path.read_bytes().startswith(b"SQLite format 3")


def test_stored_strings_appear_in_no_file(db_path: Path, key: RawKey) -> None:
    with Database.open(db_path, key) as db:
        set_setting(db, "chain.rpc_url", MARKER + "-wal")
        files = list(db_path.parent.glob("sealdesk.db*"))
        contents = b"".join(p.read_bytes() for p in files)
    for needle in (MARKER, MARKER + "-wal"):
        assert needle.encode("utf-8") not in contents
        assert needle.encode("utf-16-le") not in contents
    assert key.key not in contents


def test_plain_sqlite_cannot_read_it(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM settings").fetchall()
    conn.close()


def test_sqlcipher_without_key_cannot_read_it(db_path: Path) -> None:
    conn = sqlcipher3.connect(str(db_path))
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT * FROM settings").fetchall()
    conn.close()


def test_wrong_key_is_refused(db_path: Path) -> None:
    with pytest.raises(WrongKey):
        Database.open(db_path, RawKey.generate())


def test_right_key_reads_back(db_path: Path, key: RawKey) -> None:
    with Database.open(db_path, key) as db:
        assert get_setting(db, "tsa.url") == MARKER
        assert db.schema_version == len(migrations())


def _grow(path: Path, key: RawKey, pages: int) -> None:
    with Database.open(path, key) as db, db.transaction() as conn:
        conn.execute("CREATE TABLE filler (x BLOB)")
        for _ in range(pages):
            conn.execute("INSERT INTO filler VALUES (randomblob(4000))")
    # Fold the WAL into the main file so the flipped bit lands in real pages.
    with Database.open(path, key) as db:
        db.scalar("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.mark.parametrize("where", [0.5, 0.9])
def test_one_flipped_bit_is_caught(db_path: Path, key: RawKey, where: float) -> None:
    _grow(db_path, key, 20)
    data = bytearray(db_path.read_bytes())
    data[int(len(data) * where)] ^= 0x04
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt):
        Database.open(db_path, key)


def test_flipped_bit_in_first_page_is_refused(db_path: Path, key: RawKey) -> None:
    data = bytearray(db_path.read_bytes())
    data[200] ^= 0x01
    db_path.write_bytes(bytes(data))
    with pytest.raises(StorageError):
        Database.open(db_path, key)


def test_passphrase_database(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Database.create(path, Passphrase("it's a long passphrase")).close()
    Database.open(path, Passphrase("it's a long passphrase")).close()
    with pytest.raises(WrongKey):
        Database.open(path, Passphrase("its a long passphrase"))


def test_newer_schema_is_refused(db_path: Path, key: RawKey) -> None:
    with Database.open(db_path, key) as db:
        db.scalar("PRAGMA user_version = 999")
    with pytest.raises(StorageError, match="newer SealDesk"):
        Database.open(db_path, key)


def test_failed_transaction_leaves_nothing(db_path: Path, key: RawKey) -> None:
    def interrupted_write(db: Database) -> None:
        with db.transaction() as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')")
            raise RuntimeError("interrupted")

    with Database.open(db_path, key) as db:
        with pytest.raises(RuntimeError):
            interrupted_write(db)
        assert get_setting(db, "a") is None


def test_migrations_are_numbered_from_one() -> None:
    versions = [m.version for m in migrations()]
    assert versions == list(range(1, len(versions) + 1))
