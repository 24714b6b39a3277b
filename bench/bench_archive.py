"""Archive cost: index search over 100k entries, and file encryption throughput.

* **Search.** 100,000 archive entries with Chinese titles and document numbers
  are bulk-inserted (``executemany``) into a SQLCipher workspace database, and
  the very same rows into plain sqlite3 with the same schema (migrations,
  trigram FTS5 index and triggers). Then ``app.archive.search`` runs, newest
  first with its default limit of 100: a 4-character title query with a seal
  filter, a rare 4-character query, a 2-character query (the LIKE fallback),
  and a seal + month filter. The baseline runs the same function over the plain
  connection. Target: p99 within 50 ms.
* **Files.** A 100 MB file is encrypted into the archive (hash pass, then
  streamed AES-256-GCM in 1 MiB chunks, fsync, rename) and decrypted back
  (with verification). The baseline is the floor any copy must pay: read,
  SHA-256, write and fsync once.

Set ``SEALDESK_BENCH_ARCHIVE_ROWS`` / ``SEALDESK_BENCH_ARCHIVE_MB`` to shrink.
"""

from __future__ import annotations

import hashlib
import os
import random
import secrets
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.archive import ArchiveFilter, search
from storage.archive_files import ArchiveKey, ArchiveStore
from storage.custody import RawKey
from storage.database import Database, migrations

ROWS = int(os.environ.get("SEALDESK_BENCH_ARCHIVE_ROWS", "100000"))
MEGABYTES = int(os.environ.get("SEALDESK_BENCH_ARCHIVE_MB", "100"))
SEARCHES = 100
SEALS = 40
OFFICERS = 300
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
_SUBJECTS = (
    "办公室公文处理办法",
    "年度预算执行情况",
    "安全生产检查",
    "采购合同",
    "人事任免",
    "信息化建设方案",
    "防汛抗旱工作",
    "干部培训计划",
    "档案管理规定",
    "车辆使用管理",
    "财务报销制度",
    "疫情防控措施",
    "招商引资项目",
    "环境保护督查",
    "审计整改报告",
)
_FORMS = ("关于印发《{}》的通知", "关于{}的报告", "关于{}的请示", "{}的批复", "{}")
_INSERT = (
    "INSERT INTO archive_entries (sha256, size, title, doc_number, category, "
    "seal_id, officer_id, stamped_at, sha256_before, source_name, kind, "
    "archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class Plain:
    """A plain sqlite3 connection that answers like ``Database.rows``."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        for migration in migrations():
            self.conn.executescript(migration.sql)

    def rows(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        return list(self.conn.execute(sql, params).fetchall())


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


def _rows(rng: random.Random) -> list[tuple[Any, ...]]:
    rows, step = [], SPAN / ROWS
    for n in range(ROWS):
        subject = rng.choice(_SUBJECTS)
        title = rng.choice(_FORMS).format(subject) + f"（第{n}期）"
        at = (START + step * n).isoformat(timespec="milliseconds")
        at = at.replace("+00:00", "Z")
        rows.append(
            (
                hashlib.sha256(n.to_bytes(8, "big")).hexdigest(),
                rng.randrange(10_000, 5_000_000),
                title,
                f"办发〔{2024 + n * 2 // ROWS}〕{n}号",
                rng.choice(("notice", "report", "contract")),
                f"seal-{rng.randrange(SEALS):02d}",
                f"person-{rng.randrange(OFFICERS):03d}",
                at,
                hashlib.sha256(b"b" + n.to_bytes(8, "big")).hexdigest(),
                f"doc-{n}.pdf",
                "stamped",
                at,
            )
        )
    return rows


def _load(db: Database, plain: Plain) -> tuple[float, float]:
    rows = _rows(random.Random(5))
    start = time.perf_counter()
    with db.transaction() as conn:
        conn.executemany(_INSERT, rows)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    plain.conn.execute("BEGIN")
    plain.conn.executemany(_INSERT, rows)
    plain.conn.execute("COMMIT")
    return ours, time.perf_counter() - start


def _filters(kind: str, rng: random.Random) -> ArchiveFilter:
    seal = f"seal-{rng.randrange(SEALS):02d}"
    month = START + timedelta(days=rng.randrange(0, 700))
    since, until = (
        month.strftime("%Y-%m-%d"),
        (month + timedelta(days=30)).strftime("%Y-%m-%d"),
    )
    subject = rng.choice(_SUBJECTS)
    if kind == "text 4 chars + seal":
        return ArchiveFilter(text=subject[:4], seal_id=seal)
    if kind == "rare text (one number)":
        return ArchiveFilter(text=f"第{rng.randrange(ROWS)}期")
    if kind == "text 2 chars (LIKE)":
        return ArchiveFilter(text=subject[:2])
    return ArchiveFilter(seal_id=seal, since=since, until=until)


def bench_search(folder: Path) -> None:
    db = Database.create(folder / "search.db", RawKey.generate())
    plain = Plain(folder / "search-plain.db")
    ours_fill, plain_fill = _load(db, plain)
    _line(f"bulk load of {ROWS:,} entries", ours_fill, "s", "plain sqlite3", plain_fill)
    kinds = (
        "text 4 chars + seal",
        "rare text (one number)",
        "text 2 chars (LIKE)",
        "seal + month",
    )
    for kind in kinds:
        ours, theirs, found = [], [], []
        for wanted in [_filters(kind, random.Random(i)) for i in range(SEARCHES)]:
            start = time.perf_counter()
            found.append(len(search(db, wanted)))
            ours.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            search(plain, wanted)  # type: ignore[arg-type]
            theirs.append((time.perf_counter() - start) * 1000)
        print(f"({kind}: {sum(found) / len(found):,.0f} hits on average)")
        for name, q in (("p50", 0.50), ("p99", 0.99)):
            _line(
                f"archive search, {kind}, over {ROWS:,} entries {name}",
                _p(ours, q),
                "ms",
                "plain sqlite3",
                _p(theirs, q),
            )
    db.close()
    plain.conn.close()


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _floor_copy(src: Path, dst: Path) -> None:
    digest = hashlib.sha256()
    with src.open("rb") as fh, dst.open("wb") as out:
        while block := fh.read(1 << 20):
            digest.update(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())


def bench_files(folder: Path) -> None:
    src = folder / "big.pdf"
    with src.open("wb") as fh:
        for _ in range(MEGABYTES):
            fh.write(secrets.token_bytes(1 << 20))
    store = ArchiveStore(folder / "archive", ArchiveKey(secrets.token_bytes(32)))
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    floor = _timed(lambda: _floor_copy(src, folder / "floor.bin"))
    enc = _timed(lambda: store.store(src))
    dec = _timed(lambda: store.retrieve(sha, folder / "back.pdf"))
    floor2 = _timed(lambda: _floor_copy(folder / "back.pdf", folder / "floor2.bin"))
    base = MEGABYTES / min(floor, floor2)
    _line(
        f"archive store of {MEGABYTES} MB",
        MEGABYTES / enc,
        "MB/s",
        "read+hash+write",
        base,
    )
    _line(
        f"archive get of {MEGABYTES} MB",
        MEGABYTES / dec,
        "MB/s",
        "read+hash+write",
        base,
    )


def main() -> int:
    with tempfile.TemporaryDirectory(dir=os.environ.get("SEALDESK_BENCH_DIR")) as tmp:
        folder = Path(tmp)
        bench_search(folder)
        bench_files(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
