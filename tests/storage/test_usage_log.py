"""The usage log's hash chain catches edited, deleted and reordered rows.

The tampering is done the way a person holding the real key would do it:
open the encrypted database, drop the append-only triggers, change rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rfc8785
import sqlcipher3

from storage.custody import RawKey
from storage.database import Database
from storage.usage_log import (
    GENESIS,
    LogFilter,
    _canonical,
    append,
    head,
    query,
    query_sql,
    verify_chain,
)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database.create(tmp_path / "sealdesk.db", RawKey.generate())
    for n in range(1, 11):
        with database.transaction() as conn:
            append(
                conn,
                "stamp" if n % 2 else "grant.created",
                actor=f"person-{n % 3}",
                seal_id=f"seal-{n % 2}",
                document_sha256=f"{n:064x}",
                details={"n": n, "title": f"关于第{n}号文件的批复"},
                at=f"2026-01-{n:02d}T08:00:00.000Z",
            )
    return database


def tamper(db: Database, *statements: str) -> None:
    with db.transaction() as conn:
        conn.execute("DROP TRIGGER usage_log_no_update")
        conn.execute("DROP TRIGGER usage_log_no_delete")
        for statement in statements:
            conn.execute(statement)


def test_intact_chain(db: Database) -> None:
    result = verify_chain(db)
    assert result.intact
    assert result.entries == 10
    assert result.head == head(db)[1]


def test_empty_chain(tmp_path: Path) -> None:
    with Database.create(tmp_path / "e.db", RawKey.generate()) as empty:
        assert verify_chain(empty).intact
        assert head(empty) == (0, GENESIS)


def test_triggers_stop_plain_edits(db: Database) -> None:
    with pytest.raises(sqlcipher3.IntegrityError), db.transaction() as conn:
        conn.execute("UPDATE usage_log SET action = 'x' WHERE seq = 1")
    with pytest.raises(sqlcipher3.IntegrityError), db.transaction() as conn:
        conn.execute("DELETE FROM usage_log WHERE seq = 1")


def test_edited_row_is_named(db: Database) -> None:
    tamper(db, "UPDATE usage_log SET actor = 'someone-else' WHERE seq = 4")
    result = verify_chain(db)
    assert result.first_broken == 4
    assert "content" in (result.reason or "")


def test_edited_details_are_named(db: Database) -> None:
    tamper(db, """UPDATE usage_log SET details = '{"n":7,"title":"x"}' WHERE seq = 7""")
    assert verify_chain(db).first_broken == 7


def test_deleted_row_is_named(db: Database) -> None:
    tamper(db, "DELETE FROM usage_log WHERE seq = 6")
    result = verify_chain(db)
    assert result.first_broken == 7
    assert "missing" in (result.reason or "")


def test_deleted_and_renumbered_rows_are_caught(db: Database) -> None:
    tamper(
        db,
        "DELETE FROM usage_log WHERE seq = 6",
        "UPDATE usage_log SET seq = seq - 1 WHERE seq > 6",
    )
    assert verify_chain(db).first_broken == 6


def test_reordered_rows_are_named(db: Database) -> None:
    tamper(
        db,
        "UPDATE usage_log SET seq = 100 WHERE seq = 3",
        "UPDATE usage_log SET seq = 3 WHERE seq = 5",
        "UPDATE usage_log SET seq = 5 WHERE seq = 100",
    )
    assert verify_chain(db).first_broken == 3


def test_rehashed_row_breaks_the_next_link(db: Database) -> None:
    row = db.rows("SELECT entry_hash FROM usage_log WHERE seq = 5")[0][0]
    tamper(db, "UPDATE usage_log SET entry_hash = printf('%064d', 0) WHERE seq = 5")
    assert row != "0" * 64
    assert verify_chain(db).first_broken == 5


def test_query_filters(db: Database) -> None:
    stamps = query(db, LogFilter(action="stamp"))
    assert [e.seq for e in stamps] == [9, 7, 5, 3, 1]
    ranged = query(
        db, LogFilter(seal_id="seal-0", since="2026-01-03", until="2026-01-09")
    )
    assert [e.seq for e in ranged] == [8, 6, 4]
    assert query(db, LogFilter(limit=2))[0].details["title"] == "关于第10号文件的批复"


@pytest.mark.parametrize(
    "details",
    [
        {"b": 1, "a": "中文", "c": None, "d": True},
        {"z": ["x", 2], "q": {"k": "\n\u2028"}},
    ],
)
def test_canonical_form_is_rfc8785(details: dict[str, object]) -> None:
    assert _canonical(details) == rfc8785.dumps(details)


def test_entries_are_stored_as_canonical_json(db: Database) -> None:
    stored = db.rows("SELECT details FROM usage_log WHERE seq = 1")[0][0]
    assert json.loads(stored) == {"n": 1, "title": "关于第1号文件的批复"}


def test_search_by_seal_and_dates_reads_only_the_covering_index(db: Database) -> None:
    """Auditors' commonest search must not visit one table page per entry."""
    wanted = LogFilter(
        seal_id="seal-1", since="2025-01-01", until="2099-01-01", limit=1000
    )
    sql, params = query_sql(wanted)
    plan = " ".join(str(row[3]) for row in db.rows(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "COVERING INDEX usage_log_by_seal" in plan
    assert "TEMP B-TREE" not in plan  # the index order is the result order
    assert [e.seal_id for e in query(db, wanted)] == ["seal-1"] * 5
