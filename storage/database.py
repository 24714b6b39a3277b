"""The encrypted SQLite database (SQLCipher 4) and its versioned migrations.

One :class:`Database` per open workspace. Writes go through one connection
guarded by a lock, so there is a single serialised writer; readers may open
their own connections with :meth:`Database.reader`. Migrations are the numbered
``.sql`` files beside this module; each runs once, in its own transaction, and
``PRAGMA user_version`` records how far the file has come.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlcipher3

from storage.custody import DatabaseSecret, Passphrase
from storage.errors import DatabaseCorrupt, DatabaseLocked, StorageError, WrongKey

__all__ = ["Database", "Migration", "migrations"]

log = logging.getLogger(__name__)

Connection = Any  # sqlcipher3 ships no type information
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with this version, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(
                Migration(int(match.group(1)), entry.name, entry.read_text("utf-8"))
            )
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {migration.name} is out of sequence")
    return found


class Database:
    """An open, unlocked SealDesk database."""

    def __init__(self, path: Path, secret: DatabaseSecret) -> None:
        self.path = path
        self._secret = secret
        self._lock = threading.RLock()
        self._conn = _connect(path, secret)

    @classmethod
    def create(cls, path: Path, secret: DatabaseSecret) -> Database:
        """Make a new database file; the caller checked that none exists."""
        db = cls(path, secret)
        path.chmod(0o600)
        db.migrate()
        return db

    @classmethod
    def open(cls, path: Path, secret: DatabaseSecret) -> Database:
        """Open, authenticate every page, and bring the schema up to date."""
        db = cls(path, secret)
        try:
            db.check_integrity()
            db.migrate()
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def secret(self) -> DatabaseSecret:
        """What opened this database, for deriving workspace-bound keys."""
        return self._secret

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """The single writer: one immediate transaction at a time."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.OperationalError as exc:
                raise _locked(self.path) from exc
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A connection of its own for reading on any thread."""
        conn = _connect(self.path, self._secret)
        try:
            yield conn
        finally:
            conn.close()

    def scalar(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    def table_counts(self) -> dict[str, int]:
        """Row count of every table of ours, for status displays."""
        names = [
            r[0]
            for r in self.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        # Names come from sqlite_master itself, never from a person.
        return {
            n: int(self.scalar(f'SELECT count(*) FROM "{n}"'))  # noqa: S608
            for n in names
        }

    def rekey(self, secret: DatabaseSecret) -> None:
        """Re-encrypt every page under a new key or passphrase."""
        with self._lock:
            self._conn.execute(f"PRAGMA rekey = {secret.pragma()}")
            self._secret = secret

    def check_integrity(self) -> None:
        """Authenticate every page; SQLCipher's HMAC catches any changed bit."""
        try:
            problems = self.rows("PRAGMA cipher_integrity_check")
        except sqlcipher3.DatabaseError as exc:
            raise _corrupt(self.path, str(exc)) from exc
        if problems:
            raise _corrupt(self.path, str(problems[0][0]))

    def migrate(self) -> int:
        """Run the migrations this file has not seen; return the new version."""
        known = migrations()
        current = self.schema_version
        if current > len(known):
            raise StorageError(
                f"{self.path} was written by a newer SealDesk (schema {current}); "
                "update SealDesk to open it.",
                f"{self.path} 由更新版本的 SealDesk 写入（结构版本 {current}），"
                "请升级 SealDesk 后再打开。",
            )
        for migration in known[current:]:
            self._apply(migration)
        return self.schema_version

    def _apply(self, migration: Migration) -> None:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                for statement in _statements(migration.sql):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {migration.version}")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        log.info("Applied database migration %s", migration.name)


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements, one ``;``-terminated unit at a time."""
    pending = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        pending += line
        if sqlcipher3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise RuntimeError("migration ends inside a statement")


def _connect(path: Path, secret: DatabaseSecret) -> Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        # SQLCipher otherwise writes its own errors to stderr; ours say it better.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {secret.pragma()}")
        conn.execute("PRAGMA cipher_compatibility = 4")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise _wrong_key(path, secret) from exc
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        # A committed usage-log entry must survive a power cut.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise _corrupt(path, str(exc)) from exc
    return conn


def _wrong_key(path: Path, secret: DatabaseSecret) -> WrongKey:
    if isinstance(secret, Passphrase):
        return WrongKey(
            f"{path}: wrong passphrase, or the file is damaged.",
            f"{path}：口令错误，或文件已损坏。",
        )
    return WrongKey(
        f"{path}: the key does not open this database; the file is damaged "
        "or belongs to another workspace.",
        f"{path}：密钥无法打开该数据库，文件已损坏或属于其他工作区。",
    )


def _corrupt(path: Path, detail: str) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"{path}: the database is damaged ({detail}); restore it from a backup.",
        f"{path}：数据库已损坏（{detail}），请从备份恢复。",
    )


def _locked(path: Path) -> DatabaseLocked:
    return DatabaseLocked(
        f"{path} is busy: another SealDesk is writing to it.",
        f"{path} 正被另一个 SealDesk 写入，请稍后再试。",
    )
