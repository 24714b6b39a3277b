"""Encrypted database cost: SQLCipher writes and reads against plain sqlite3.

Both run in WAL mode with one small write transaction per row, the pattern of
a usage-log append. Opening costs are printed for the raw-key (keyring) and
passphrase (KDF) custody.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.custody import Passphrase, RawKey
from storage.database import Database

ROWS = 5_000


def _line(figure: str, value: float, unit: str, base: str, base_value: float) -> None:
    ratio = value / base_value if base_value else float("nan")
    print(
        f"{figure}: {value:,.1f} {unit} | baseline {base}: {base_value:,.1f} {unit}"
        f" | ratio {ratio:.2f}"
    )


def _plain_writes(path: Path) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE log (n INTEGER, body TEXT)")
    start = time.perf_counter()
    for n in range(ROWS):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO log VALUES (?, ?)", (n, f"entry {n:08d}" * 8))
        conn.execute("COMMIT")
    writes = ROWS / (time.perf_counter() - start)
    start = time.perf_counter()
    for n in range(ROWS):
        conn.execute("SELECT body FROM log WHERE rowid = ?", (n + 1,)).fetchone()
    reads = ROWS / (time.perf_counter() - start)
    conn.close()
    return writes, reads


def _cipher_writes(path: Path) -> tuple[float, float]:
    with Database.create(path, RawKey.generate()) as db:
        with db.transaction() as conn:
            conn.execute("CREATE TABLE log (n INTEGER, body TEXT)")
        start = time.perf_counter()
        for n in range(ROWS):
            with db.transaction() as conn:
                conn.execute("INSERT INTO log VALUES (?, ?)", (n, f"entry {n:08d}" * 8))
        writes = ROWS / (time.perf_counter() - start)
        start = time.perf_counter()
        for n in range(ROWS):
            db.scalar("SELECT body FROM log WHERE rowid = ?", (n + 1,))
        reads = ROWS / (time.perf_counter() - start)
    return writes, reads


def _open_times(folder: Path) -> tuple[float, float, float]:
    key = RawKey.generate()
    phrase = Passphrase("a passphrase for the benchmark")
    Database.create(folder / "k.db", key).close()
    Database.create(folder / "p.db", phrase).close()
    sqlite3.connect(folder / "plain.db").execute(
        "CREATE TABLE t (x)"
    ).connection.close()

    def timed(fn: object) -> float:
        start = time.perf_counter()
        for _ in range(5):
            fn()  # type: ignore[operator]
        return (time.perf_counter() - start) / 5 * 1000

    raw = timed(lambda: Database.open(folder / "k.db", key).close())
    kdf = timed(lambda: Database.open(folder / "p.db", phrase).close())
    plain = timed(
        lambda: (
            sqlite3.connect(folder / "plain.db")
            .execute("PRAGMA integrity_check")
            .connection.close()
        )
    )
    return raw, kdf, plain


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain_w, plain_r = _plain_writes(folder / "plain-log.db")
        cipher_w, cipher_r = _cipher_writes(folder / "cipher-log.db")
        raw, kdf, plain_open = _open_times(folder)
    _line("SQLCipher write transactions", cipher_w, "tx/s", "plain sqlite3", plain_w)
    _line("SQLCipher point reads", cipher_r, "reads/s", "plain sqlite3", plain_r)
    _line("open with keyring key", raw, "ms", "plain sqlite3 open+check", plain_open)
    _line(
        "open with passphrase (KDF)", kdf, "ms", "plain sqlite3 open+check", plain_open
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
