"""Usage-log (用印日志) cost: appends with synchronous=FULL, and filtered search.

* **Append latency.** Each entry is appended through
  ``storage.usage_log.append`` in its own ``Database.transaction()`` on the
  SQLCipher database (WAL, synchronous=FULL, so every commit is fsynced), as
  a stamping does. The baseline runs the same function on a plain sqlite3
  connection with the same schema, WAL and synchronous=FULL. Target: p99
  within 2 ms.
* **Filtered search.** One million entries (precomputed hash chain, bulk
  inserted with ``executemany``; the log's indexes are dropped for the load
  and made again from their own definitions), then searches by seal and a
  one-month date range through ``storage.usage_log.query``: once with the
  default limit of 1,000 entries, once for a first screen of 100. The
  baseline runs the same SQL and the same row decoding on plain sqlite3 with
  the same schema and indexes. Target: p99 within 20 ms.

Set ``SEALDESK_BENCH_LOG_ROWS`` to search over fewer rows on a slow machine.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.custody import RawKey
from storage.database import Database, migrations
from storage.usage_log import (
    GENESIS,
    LogFilter,
    _canonical,
    _entry,
    append,
    entry_hash,
    query,
)

APPENDS = 2_000
ROWS = int(os.environ.get("SEALDESK_BENCH_LOG_ROWS", "1000000"))
CHUNK = 50_000
SEARCHES = 200
SEALS = 50
ACTORS = 200
START = datetime(2025, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=365)
_INSERT = (
    "INSERT INTO usage_log (seq, at, action, actor, seal_id, document_sha256, "
    "details, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_SEARCH = (
    "SELECT seq, at, action, actor, seal_id, document_sha256, details, prev_hash, "
    "entry_hash FROM usage_log WHERE seal_id = ? AND at >= ? AND at < ? "
    "ORDER BY at DESC, seq DESC LIMIT ?"
)
_INDEXES = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
    "AND tbl_name = 'usage_log' AND sql IS NOT NULL"
)


def _line(figure: str, value: float, unit: str, base: str, base_value: float) -> None:
    ratio = value / base_value if base_value else float("nan")
    print(
        f"{figure}: {value:,.3f} {unit} | baseline {base}: {base_value:,.3f} {unit}"
        f" | ratio {ratio:.2f}",
        flush=True,
    )


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _plain(path: Path) -> sqlite3.Connection:
    """Plain sqlite3 with SealDesk's pragmas and the very same schema."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    for migration in migrations():
        conn.executescript(migration.sql)
    return conn


def _entry_args(n: int) -> dict[str, Any]:
    return {
        "actor": f"person-{n % ACTORS:04d}",
        "seal_id": f"seal-{n % SEALS:02d}",
        "document_sha256": f"{n:064x}",
        "details": {"approval": None, "category": "contract", "title": f"合同第{n}号"},
    }


def _append_latencies(write: Callable[[int], None]) -> list[float]:
    samples = []
    for n in range(APPENDS):
        start = time.perf_counter()
        write(n)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bench_append(folder: Path) -> None:
    db = Database.create(folder / "append.db", RawKey.generate())

    def cipher(n: int) -> None:
        with db.transaction() as conn:
            append(conn, "stamp", **_entry_args(n))

    plain = _plain(folder / "append-plain.db")

    def baseline(n: int) -> None:
        plain.execute("BEGIN IMMEDIATE")
        append(plain, "stamp", **_entry_args(n))
        plain.execute("COMMIT")

    ours, theirs = _append_latencies(cipher), _append_latencies(baseline)
    db.close()
    plain.close()
    for name, q in (("p50", 0.50), ("p99", 0.99)):
        _line(
            f"usage-log append {name} (SQLCipher, synchronous=FULL)",
            _p(ours, q),
            "ms",
            "plain sqlite3 FULL",
            _p(theirs, q),
        )


def _rows(rng: random.Random) -> Iterator[list[tuple[Any, ...]]]:
    """Chained entries in time order, a chunk at a time."""
    prev, step = GENESIS, SPAN / ROWS
    actions = ("stamp", "stamp", "stamp", "approval.request", "approval.approve")
    chunk: list[tuple[Any, ...]] = []
    for seq in range(1, ROWS + 1):
        at = (START + step * seq).isoformat(timespec="milliseconds")
        at = at.replace("+00:00", "Z")
        action = actions[seq % len(actions)]
        args = _entry_args(rng.randrange(1 << 30))
        digest = entry_hash(seq=seq, at=at, action=action, prev_hash=prev, **args)
        chunk.append(
            (
                seq,
                at,
                action,
                args["actor"],
                args["seal_id"],
                args["document_sha256"],
                _canonical(args["details"]).decode("utf-8"),
                prev,
                digest,
            )
        )
        prev = digest
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _searches(rng: random.Random) -> list[tuple[str, str, str]]:
    wanted = []
    for _ in range(SEARCHES):
        month = START + timedelta(days=rng.randrange(0, 330))
        wanted.append(
            (
                f"seal-{rng.randrange(SEALS):02d}",
                month.strftime("%Y-%m-%d"),
                (month + timedelta(days=30)).strftime("%Y-%m-%d"),
            )
        )
    return wanted


def _load(db: Database, plain: sqlite3.Connection) -> tuple[float, float]:
    """Bulk-load both databases; seconds spent by each (hashing not counted)."""
    indexes = db.rows(_INDEXES)
    for name, _ in indexes:
        with db.transaction() as conn:
            conn.execute(f'DROP INDEX "{name}"')
        plain.execute(f'DROP INDEX "{name}"')
    fill = [0.0, 0.0]
    for chunk in _rows(random.Random(7)):
        start = time.perf_counter()
        with db.transaction() as conn:
            conn.executemany(_INSERT, chunk)
        fill[0] += time.perf_counter() - start
        start = time.perf_counter()
        plain.execute("BEGIN")
        plain.executemany(_INSERT, chunk)
        plain.execute("COMMIT")
        fill[1] += time.perf_counter() - start
    for _, sql in indexes:
        start = time.perf_counter()
        with db.transaction() as conn:
            conn.execute(sql)
        fill[0] += time.perf_counter() - start
        start = time.perf_counter()
        plain.execute(sql)
        fill[1] += time.perf_counter() - start
    return fill[0], fill[1]


def _search(
    db: Database, plain: sqlite3.Connection, limit: int
) -> tuple[list[float], list[float], list[int]]:
    ours, theirs, found = [], [], []
    for seal, since, until in _searches(random.Random(11)):
        start = time.perf_counter()
        wanted = LogFilter(seal_id=seal, since=since, until=until, limit=limit)
        hits = query(db, wanted)
        ours.append((time.perf_counter() - start) * 1000)
        found.append(len(hits))
        start = time.perf_counter()
        rows = plain.execute(_SEARCH, (seal, since, until, limit)).fetchall()
        [_entry(r) for r in rows]  # the same decoding query() does
        theirs.append((time.perf_counter() - start) * 1000)
    return ours, theirs, found


def bench_search(folder: Path) -> None:
    db = Database.create(folder / "search.db", RawKey.generate())
    plain = _plain(folder / "search-plain.db")
    # The same larger page cache on both sides for the load and the searches.
    db.scalar("PRAGMA cache_size = -65536")
    plain.execute("PRAGMA cache_size = -65536")
    ours_fill, plain_fill = _load(db, plain)
    _line(
        f"bulk load of {ROWS:,} chained entries",
        ours_fill,
        "s",
        "plain sqlite3",
        plain_fill,
    )
    for limit in (1000, 100):
        ours, theirs, found = _search(db, plain, limit)
        print(f"(searches returned {statistics.mean(found):,.0f} entries on average)")
        for name, q in (("p50", 0.50), ("p99", 0.99)):
            _line(
                f"search by seal + month, limit {limit}, over {ROWS:,} entries {name}",
                _p(ours, q),
                "ms",
                "plain sqlite3",
                _p(theirs, q),
            )
    db.close()
    plain.close()


def main() -> int:
    with tempfile.TemporaryDirectory(dir=os.environ.get("SEALDESK_BENCH_DIR")) as tmp:
        folder = Path(tmp)
        bench_append(folder)
        bench_search(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
