"""``sealdesk log`` verify, list and export on a real workspace."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.workspace import (
    GivenPassphrase,
    choose_custody,
    init_workspace,
    open_workspace,
)
from storage.usage_log import append
from tests.support.cli import Result, sealdesk


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    with open_workspace(root, GivenPassphrase(None)) as opened:
        for n in range(1, 6):
            with opened.db.transaction() as conn:
                append(
                    conn,
                    "stamp",
                    actor="officer-1",
                    seal_id="seal-合同",
                    details={"title": f"合同第{n}号"},
                    at=f"2026-02-0{n}T09:00:00.000Z",
                )
    return root


def run(capsys, monkeypatch, ws: Path, *args: str) -> Result:  # type: ignore[no-untyped-def]
    return sealdesk(capsys, monkeypatch, "--workspace", str(ws), *args)


def test_verify_list_export(capsys, monkeypatch, ws: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    verified = run(capsys, monkeypatch, ws, "log", "verify")
    assert verified.code == 0
    assert "5 entries" in verified.out

    listed = json.loads(
        run(
            capsys,
            monkeypatch,
            ws,
            "log",
            "list",
            "--json",
            "--since",
            "2026-02-02",
            "--until",
            "2026-02-04",
        ).out
    )
    assert [e["seq"] for e in listed] == [3, 2]

    out = tmp_path / "log.csv"
    exported = run(capsys, monkeypatch, ws, "log", "export", "-o", str(out))
    assert exported.code == 0, exported.err
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["seq"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert "合同第1号" in rows[0]["details"]
    assert not out.with_name("log.csv.part").exists()

    out_json = tmp_path / "log.json"
    run(capsys, monkeypatch, ws, "log", "export", "--json", "-o", str(out_json))
    assert json.loads(out_json.read_text())[4]["details"] == {"title": "合同第5号"}


def test_broken_log_is_one_line(capsys, monkeypatch, ws: Path) -> None:  # type: ignore[no-untyped-def]
    with (
        open_workspace(ws, GivenPassphrase(None)) as opened,
        opened.db.transaction() as conn,
    ):
        conn.execute("DROP TRIGGER usage_log_no_update")
        conn.execute("UPDATE usage_log SET actor = 'mallory' WHERE seq = 2")
    result = run(capsys, monkeypatch, ws, "log", "verify")
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "sealdesk: The usage log is broken at entry 2: its content does not match "
        "its hash."
    ]


def test_export_to_missing_folder_is_one_line(
    capsys, monkeypatch, ws: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "no" / "such" / "dir" / "log.csv"
    result = run(capsys, monkeypatch, ws, "log", "export", "-o", str(target))
    assert result.code == 1
    assert str(target) in result.err
    assert len(result.err.strip().splitlines()) == 1
