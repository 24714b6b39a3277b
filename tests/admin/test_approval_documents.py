"""The document kept behind an approval request, on the demo workspace."""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.admin.approvals import request_approval
from app.admin.auth import login_password
from app.admin.errors import (
    AuditorReadOnlyError,
    CategoryNotAllowedError,
    RoleRequiredError,
)
from app.admin.roles import Actor
from app.admin.store import reading
from app.approval_documents import (
    _keep,
    approval_document,
    kept_documents,
    request_with_document,
)
from app.archive import ProblemKind, archive_store, recheck
from app.demo.workspace import build_demo_workspace
from app.errors import InputError
from app.workspace import GivenPassphrase, OpenWorkspace, open_workspace
from storage.archive_files import ArchiveDamaged
from storage.usage_log import LogEntry, LogFilter, query
from tests.stamping.documents import simple_pdf
from tests.support.cli import Result, sealdesk

OFFICIAL = "公章"  # needs an approval by 李审批 in the demo set-up
PEOPLE = {
    "officer": ("张经办", "demo-officer-2026"),
    "approver": ("李审批", "demo-approver-2026"),
    "admin": ("陈管理", "demo-admin-2026"),
    "archivist": ("王档案", "demo-archivist-2026"),
    "auditor": ("赵审计", "demo-auditor-2026"),
}


@dataclass
class Desk:
    root: Path
    opened: OpenWorkspace

    def actor(self, role: str) -> Actor:
        return login_password(self.opened.db, *PEOPLE[role])

    def archive_files(self) -> list[Path]:
        return list(archive_store(self.opened).files())

    def count(self, table: str) -> int:
        with reading(self.opened.db) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608

    def newest(self) -> LogEntry:
        return query(self.opened.db, LogFilter(limit=1))[0]


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("approval-docs") / "demo"
    build_demo_workspace(root, "keyring", GivenPassphrase(None))
    return root


@pytest.fixture
def root(demo_template: Path, tmp_path: Path) -> Path:
    # The copy keeps the workspace id, so the keyring key opens it too.
    copy = tmp_path / "demo"
    shutil.copytree(demo_template, copy)
    return copy


@pytest.fixture
def desk(root: Path) -> Iterator[Desk]:
    with open_workspace(root, GivenPassphrase(None)) as opened:
        yield Desk(root, opened)


def marked_pdf(path: Path) -> tuple[Path, bytes]:
    """A PDF carrying a marker that must never appear in the archive folder."""
    marker = f"PLAINTEXT-MARKER-{secrets.token_hex(8)}".encode()
    simple_pdf(path, count=2)
    with path.open("ab") as fh:
        fh.write(b"\n%" + marker + b"\n")
    return path, marker


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_approver_reads_the_kept_document_and_the_view_is_logged(
    desk: Desk, tmp_path: Path
) -> None:
    doc, marker = marked_pdf(tmp_path / "请示.pdf")
    made = request_with_document(
        desk.opened, desk.actor("officer"), OFFICIAL, doc, "通知", title="请示"
    )
    assert made.document_sha256 == sha256_of(doc)
    approver = desk.actor("approver")

    with approval_document(desk.opened, made.id, actor=approver) as copy:
        assert copy is not None
        assert copy.read_bytes() == doc.read_bytes()
        assert copy.name == "请示.pdf"
        assert (copy.parent.stat().st_mode & 0o077) == 0
        seen = desk.newest()
    assert not copy.exists()
    assert not copy.parent.exists()
    assert seen.action == "approval.view"
    assert seen.actor == approver.person_id
    assert seen.seal_id == made.seal_id
    assert seen.document_sha256 == made.document_sha256
    assert seen.details["approval"] == made.id

    files = desk.archive_files()
    assert len(files) == 1
    for path in files:
        assert marker not in path.read_bytes()
    assert recheck(desk.opened) == []
    with reading(desk.opened.db) as conn:
        assert kept_documents(conn) == {made.document_sha256: made.id}


def test_refused_request_leaves_no_file_and_no_row(desk: Desk, tmp_path: Path) -> None:
    doc, _ = marked_pdf(tmp_path / "借条.pdf")
    with pytest.raises(CategoryNotAllowedError):
        request_with_document(desk.opened, desk.actor("officer"), OFFICIAL, doc, "借条")
    assert desk.archive_files() == []
    assert desk.count("approval_documents") == 0
    assert desk.count("approvals") == 0
    assert desk.newest().action == "approval.request.refused"


def test_refusal_keeps_a_file_another_approval_needs(
    desk: Desk, tmp_path: Path
) -> None:
    doc, _ = marked_pdf(tmp_path / "函.pdf")
    officer = desk.actor("officer")
    made = request_with_document(desk.opened, officer, OFFICIAL, doc, "函件")
    with pytest.raises(CategoryNotAllowedError):
        request_with_document(desk.opened, officer, OFFICIAL, doc, "借条")
    assert len(desk.archive_files()) == 1
    assert recheck(desk.opened) == []
    with approval_document(desk.opened, made.id, actor=desk.actor("admin")) as copy:
        assert copy is not None
        assert copy.read_bytes() == doc.read_bytes()


def test_request_by_hash_alone_keeps_no_document(desk: Desk, tmp_path: Path) -> None:
    doc, _ = marked_pdf(tmp_path / "纪要.pdf")
    made = request_approval(
        desk.opened.db, desk.actor("officer"), OFFICIAL, sha256_of(doc), "会议纪要"
    )
    approver = desk.actor("approver")
    before = desk.count("usage_log")
    with approval_document(desk.opened, made.id, actor=approver) as copy:
        assert copy is None
    assert desk.count("usage_log") == before
    assert desk.archive_files() == []


def test_document_changed_after_hashing_is_refused(desk: Desk, tmp_path: Path) -> None:
    doc, _ = marked_pdf(tmp_path / "合同.pdf")
    hashed = sha256_of(doc)
    with doc.open("ab") as fh:
        fh.write(b"% edited after it was read\n")
    store = archive_store(desk.opened)
    with pytest.raises(InputError) as raised:
        _keep(desk.opened, store, doc, hashed)
    assert str(doc) in raised.value.en
    assert str(doc) in raised.value.zh
    assert desk.archive_files() == []


@pytest.mark.parametrize(
    ("role", "error"),
    [("auditor", AuditorReadOnlyError), ("archivist", RoleRequiredError)],
)
def test_only_approvers_administrators_and_the_requester_may_look(
    desk: Desk, tmp_path: Path, role: str, error: type[Exception]
) -> None:
    doc, _ = marked_pdf(tmp_path / "通知.pdf")
    officer = desk.actor("officer")
    made = request_with_document(desk.opened, officer, OFFICIAL, doc, "通知")
    with (
        pytest.raises(error),
        approval_document(desk.opened, made.id, actor=desk.actor(role)),
    ):
        pass
    refused = desk.newest()
    assert refused.action == "approval.view.refused"
    assert refused.details["approval"] == made.id
    with approval_document(desk.opened, made.id, actor=officer) as copy:
        assert copy is not None
        assert copy.read_bytes() == doc.read_bytes()


def test_damaged_kept_document_is_reported_with_its_approval(
    desk: Desk, tmp_path: Path
) -> None:
    doc, _ = marked_pdf(tmp_path / "通知.pdf")
    made = request_with_document(
        desk.opened, desk.actor("officer"), OFFICIAL, doc, "通知"
    )
    (blob,) = desk.archive_files()
    raw = bytearray(blob.read_bytes())
    raw[-5] ^= 0x01
    blob.write_bytes(bytes(raw))

    (problem,) = recheck(desk.opened)
    assert problem.kind is ProblemKind.DAMAGED
    assert problem.entry_id is None
    assert made.id in problem.en
    assert made.id in problem.zh
    with (
        pytest.raises(ArchiveDamaged),
        approval_document(desk.opened, made.id, actor=desk.actor("approver")),
    ):
        pass
    assert desk.newest().action == "archive.damaged"


# --- the command line ------------------------------------------------------


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    root: Path,
    role: str,
    *args: str,
) -> Result:
    name, password = PEOPLE[role]
    return sealdesk(
        capsys,
        monkeypatch,
        "--workspace",
        str(root),
        *args,
        "--as",
        name,
        "--password-stdin",
        stdin=password + "\n",
    )


def one_line(result: Result) -> str:
    assert result.code == 1, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def test_cli_request_keeps_the_document_for_the_approver(
    root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc, marker = marked_pdf(tmp_path / "请示.pdf")
    asked = run(
        capsys,
        monkeypatch,
        root,
        "officer",
        "approval",
        "request",
        OFFICIAL,
        "--document",
        str(doc),
        "--category",
        "通知",
        "--json",
    )
    assert asked.code == 0, asked.err
    (made,) = json.loads(asked.out)
    assert made["document_sha256"] == sha256_of(doc)

    out = tmp_path / "to-read.pdf"
    args = ("approval", "document", made["id"], "-o", str(out))
    read = run(capsys, monkeypatch, root, "approver", *args)
    assert read.code == 0, read.err
    assert out.read_bytes() == doc.read_bytes()
    assert list(tmp_path.glob("*.part")) == []

    again = one_line(run(capsys, monkeypatch, root, "approver", *args))
    assert str(out) in again
    assert "Traceback" not in again
    assert out.read_bytes() == doc.read_bytes()

    with open_workspace(root, GivenPassphrase(None)) as opened:
        views = query(opened.db, LogFilter(action="approval.view", limit=None))
        assert [v.details["approval"] for v in views] == [made["id"]]
        for path in archive_store(opened).files():
            assert marker not in path.read_bytes()
        assert recheck(opened) == []


def test_cli_request_by_sha256_has_no_document_to_read(
    root: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc, _ = marked_pdf(tmp_path / "纪要.pdf")
    asked = run(
        capsys,
        monkeypatch,
        root,
        "officer",
        "approval",
        "request",
        OFFICIAL,
        "--sha256",
        sha256_of(doc),
        "--category",
        "会议纪要",
        "--json",
    )
    assert asked.code == 0, asked.err
    (made,) = json.loads(asked.out)
    out = tmp_path / "nothing.pdf"
    line = one_line(
        run(
            capsys,
            monkeypatch,
            root,
            "approver",
            "approval",
            "document",
            made["id"],
            "-o",
            str(out),
        )
    )
    assert made["id"] in line
    assert not out.exists()
