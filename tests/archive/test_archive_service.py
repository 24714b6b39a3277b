"""The archive service on a real workspace: index, search, retrieval, recheck."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import pytest

from app.archive import (
    ArchiveFilter,
    ArchiveMetadata,
    EntryKind,
    EntryNotFound,
    ProblemKind,
    archive_document,
    archive_store,
    file_received,
    get,
    recheck,
    search,
    store_document,
)
from app.workspace import OpenWorkspace
from storage.archive_files import ArchiveDamaged
from storage.usage_log import LogFilter, query, verify_chain

NOTICE = "关于印发《办公室公文处理办法》的通知"


def document(folder: Path, name: str, size: int = 3 * (1 << 20) + 17) -> Path:
    path = folder / name
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.write(secrets.token_bytes(size - 9))
    return path


def stamp_like(opened: OpenWorkspace, path: Path, metadata: ArchiveMetadata) -> int:
    """What the stamping service does: store first, index in its transaction."""
    stored = store_document(opened, path)
    with opened.db.transaction() as conn:
        return archive_document(conn, stored, metadata).id


@pytest.fixture
def filed(opened: OpenWorkspace, tmp_path: Path) -> dict[str, int]:
    rows = {
        "notice": ArchiveMetadata(
            NOTICE,
            doc_number="办发〔2026〕12号",
            seal_id="seal-office",
            officer_id="p-zhang",
            stamped_at="2026-03-01T09:00:00.000Z",
        ),
        "contract": ArchiveMetadata(
            "采购合同",
            doc_number="HT-2026-007",
            category="contract",
            seal_id="seal-contract",
            officer_id="p-li",
            stamped_at="2026-04-01T09:00:00.000Z",
        ),
        "report": ArchiveMetadata(
            "关于年度工作情况的报告",
            doc_number="办发〔2026〕30号",
            seal_id="seal-office",
            officer_id="p-li",
            stamped_at="2026-05-01T09:00:00.000Z",
        ),
    }
    return {
        name: stamp_like(opened, document(tmp_path, f"{name}.pdf", 5000), meta)
        for name, meta in rows.items()
    }


def ids(opened: OpenWorkspace, **given: str) -> list[int]:
    return [e.id for e in search(opened.db, ArchiveFilter(**given))]


def test_chinese_full_text(opened: OpenWorkspace, filed: dict[str, int]) -> None:
    notice, report = filed["notice"], filed["report"]
    assert ids(opened, text="公文处理") == [notice]
    assert ids(opened, text="《办公室公文处理办法》") == [notice]
    assert ids(opened, text="办法") == [notice]  # two characters: LIKE
    assert ids(opened, text="通知") == [notice]
    assert ids(opened, text="关于") == [report, notice]
    assert ids(opened, text="办发〔2026〕") == [report, notice]
    assert ids(opened, text="12号") == [notice]
    assert ids(opened, text="关于 报告") == [report]
    assert ids(opened, text="ht-2026") == [filed["contract"]]
    assert ids(opened, text="请示") == []
    assert ids(opened, text="%") == []
    assert ids(opened, text='"引号"') == []


def test_filters(opened: OpenWorkspace, filed: dict[str, int]) -> None:
    notice, contract, report = filed["notice"], filed["contract"], filed["report"]
    assert ids(opened) == [report, contract, notice]
    assert ids(opened, seal_id="seal-office") == [report, notice]
    assert ids(opened, officer_id="p-li") == [report, contract]
    assert ids(opened, since="2026-03-15", until="2026-04-15") == [contract]
    assert ids(opened, text="关于", officer_id="p-li") == [report]
    sha = search(opened.db, ArchiveFilter(seal_id="seal-contract"))[0].sha256
    assert ids(opened, sha256=sha.upper()) == [contract]


def test_sha_before_stamping_finds_entry(opened: OpenWorkspace, tmp_path: Path) -> None:
    before = hashlib.sha256(b"unstamped").hexdigest()
    entry_id = stamp_like(
        opened,
        document(tmp_path, "x.pdf", 2000),
        ArchiveMetadata("盖章件", sha256_before=before),
    )
    assert ids(opened, sha256=before) == [entry_id]


def test_get_round_trip_is_logged(opened: OpenWorkspace, tmp_path: Path) -> None:
    src = document(tmp_path, "big.pdf")
    entry = file_received(
        opened, "p-wang", src, ArchiveMetadata(NOTICE, kind=EntryKind.RECEIVED)
    )
    out = tmp_path / "copy.pdf"
    got = get(opened, "p-zhao", entry.id, out)
    assert got == entry
    assert out.read_bytes() == src.read_bytes()
    retrieved = query(opened.db, LogFilter(action="archive.retrieve"))
    assert [(e.actor, e.document_sha256, e.details["entry"]) for e in retrieved] == [
        ("p-zhao", entry.sha256, entry.id)
    ]
    added = query(opened.db, LogFilter(action="archive.add"))
    assert [e.actor for e in added] == ["p-wang"]
    assert verify_chain(opened.db).intact


def test_filing_twice_gives_one_entry(opened: OpenWorkspace, tmp_path: Path) -> None:
    src = document(tmp_path, "a.pdf", 3000)
    first = file_received(opened, None, src, ArchiveMetadata("一"))
    second = file_received(opened, None, src, ArchiveMetadata("二"))
    assert first == second
    assert ids(opened) == [first.id]


def test_get_refuses_existing_output_and_unknown_id(
    opened: OpenWorkspace, filed: dict[str, int], tmp_path: Path
) -> None:
    taken = tmp_path / "taken.pdf"
    taken.write_bytes(b"mine")
    with pytest.raises(Exception, match="already exists"):
        get(opened, None, filed["notice"], taken)
    assert taken.read_bytes() == b"mine"
    with pytest.raises(EntryNotFound):
        get(opened, None, 999, tmp_path / "x.pdf")


def test_no_plaintext_anywhere_under_archive(
    opened: OpenWorkspace, tmp_path: Path
) -> None:
    src = document(tmp_path, "secret.pdf", 200_000)
    plain = src.read_bytes()
    file_received(opened, None, src, ArchiveMetadata(NOTICE))
    files = [p for p in opened.workspace.archive.rglob("*") if p.is_file()]
    assert files
    on_disk = b"".join(p.read_bytes() for p in files)
    for start in (0, 1000, 65_536, 100_003, len(plain) - 32):
        assert plain[start : start + 32] not in on_disk


def test_tampering_caught_on_get_and_recheck(
    opened: OpenWorkspace, filed: dict[str, int], tmp_path: Path
) -> None:
    assert recheck(opened) == []
    store = archive_store(opened)
    entries = {e.id: e for e in search(opened.db, ArchiveFilter())}
    notice, contract = entries[filed["notice"]], entries[filed["contract"]]
    path_n, path_c = store.path_for(notice.sha256), store.path_for(contract.sha256)
    data_n, data_c = path_n.read_bytes(), path_c.read_bytes()
    path_n.write_bytes(data_c)
    path_c.write_bytes(data_n)
    report = entries[filed["report"]]
    path_r = store.path_for(report.sha256)
    path_r.write_bytes(path_r.read_bytes()[:-1])
    stray = opened.workspace.archive / "zz" / "stray"
    stray.parent.mkdir()
    stray.write_bytes(b"x")

    out = tmp_path / "out.pdf"
    with pytest.raises(ArchiveDamaged):
        get(opened, "p-zhao", notice.id, out)
    assert not out.exists()
    assert not list(tmp_path.glob("out.pdf*"))
    damaged = query(opened.db, LogFilter(action="archive.damaged"))
    assert [e.details["entry"] for e in damaged] == [notice.id]
    assert query(opened.db, LogFilter(action="archive.retrieve")) == []

    found = {(p.kind, p.entry_id) for p in recheck(opened)}
    assert found == {
        (ProblemKind.DAMAGED, notice.id),
        (ProblemKind.DAMAGED, contract.id),
        (ProblemKind.DAMAGED, report.id),
        (ProblemKind.UNINDEXED, None),
    }
    path_r.unlink()
    kinds = {p.kind for p in recheck(opened) if p.entry_id == report.id}
    assert kinds == {ProblemKind.MISSING}
