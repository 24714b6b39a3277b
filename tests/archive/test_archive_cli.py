"""``sealdesk archive`` add, search, get and recheck on a real workspace."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from app.workspace import GivenPassphrase, open_workspace
from storage.usage_log import LogFilter, query
from tests.support.cli import Result, sealdesk


def run(capsys, monkeypatch, ws: Path, *args: str) -> Result:  # type: ignore[no-untyped-def]
    return sealdesk(capsys, monkeypatch, "--workspace", str(ws), *args)


def test_add_search_get_recheck(capsys, monkeypatch, ws: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "收文.pdf"
    src.write_bytes(b"%PDF-1.7\n" + secrets.token_bytes(50_000))
    added = run(
        capsys,
        monkeypatch,
        ws,
        "archive",
        "add",
        str(src),
        "--title",
        "关于印发《办公室公文处理办法》的通知",
        "--number",
        "办发〔2026〕12号",
        "--json",
    )
    assert added.code == 0, added.err
    entry = json.loads(added.out)
    assert entry["kind"] == "received"

    found = run(capsys, monkeypatch, ws, "archive", "search", "公文处理", "--json")
    assert [e["id"] for e in json.loads(found.out)] == [entry["id"]]
    short = run(capsys, monkeypatch, ws, "archive", "search", "通知")
    assert "办发〔2026〕12号" in short.out
    none = run(
        capsys, monkeypatch, ws, "archive", "search", "--since", "2999-01-01", "--json"
    )
    assert json.loads(none.out) == []
    bad = run(capsys, monkeypatch, ws, "archive", "search", "--sha256", "xyz")
    assert bad.code == 1
    assert "SHA-256" in bad.err

    out = tmp_path / "copy.pdf"
    got = run(
        capsys, monkeypatch, ws, "archive", "get", str(entry["id"]), "-o", str(out)
    )
    assert got.code == 0, got.err
    assert out.read_bytes() == src.read_bytes()
    with open_workspace(ws, GivenPassphrase(None)) as opened:
        logged = query(opened.db, LogFilter(action="archive.retrieve"))
    assert [e.details["entry"] for e in logged] == [entry["id"]]

    checked = run(capsys, monkeypatch, ws, "archive", "recheck", "--json")
    assert checked.code == 0
    assert json.loads(checked.out) == {"intact": True, "problems": []}


def test_recheck_and_get_report_damage(
    capsys, monkeypatch, ws: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "a.pdf"
    src.write_bytes(b"%PDF-1.7\n" + secrets.token_bytes(10_000))
    entry = json.loads(
        run(
            capsys,
            monkeypatch,
            ws,
            "archive",
            "add",
            str(src),
            "--title",
            "甲",
            "--json",
        ).out
    )
    (stored,) = [p for p in (ws / "archive").rglob("*") if p.is_file()]
    data = bytearray(stored.read_bytes())
    data[100] ^= 0xFF
    stored.write_bytes(bytes(data))

    out = tmp_path / "copy.pdf"
    got = run(
        capsys, monkeypatch, ws, "archive", "get", str(entry["id"]), "-o", str(out)
    )
    assert got.code == 1
    assert "damaged or was altered" in got.err
    assert len(got.err.strip().splitlines()) == 1
    assert not out.exists()

    checked = run(capsys, monkeypatch, ws, "archive", "recheck", "--json")
    assert checked.code == 1
    report = json.loads(checked.out)
    assert report["intact"] is False
    assert [(p["kind"], p["entry_id"]) for p in report["problems"]] == [
        ("damaged", entry["id"])
    ]
    missing = run(capsys, monkeypatch, ws, "archive", "get", "42", "-o", str(out))
    assert missing.code == 1
    assert "No archive entry has the id 42" in missing.err
