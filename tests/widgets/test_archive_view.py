"""The archivist's screen on the demo workspace: find, verify, log, drop a PDF."""

from __future__ import annotations

import shutil
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.admin.auth import login_password
from app.archive import ArchiveFilter, search
from app.audit import LogFilter, list_log
from app.stamping.batch import stamp_documents
from app.stamping.placement import CoordinatePlacement
from app.stamping.service import StampJob, outputs_for
from app.verification import Coverage, Revocation, Trust, Verdict
from app.workspace import GivenPassphrase, open_workspace
from hsm.manager import TokenManager
from hsm.provision import SOFTHSM_MODULE
from tests.stamping.documents import simple_pdf
from tests.support.cli import PASSPHRASE
from tests.support.softhsm import FixedPinHandler
from tests.verification.tamper import overlay_content
from tests.widgets.conftest import Desk
from widgets.archive import ArchiveView

pytestmark = [pytest.mark.gui, pytest.mark.hsm]

TITLE = "关于采购办公设备的合同"
ARCHIVIST = ("王档案", "demo-archivist-2026")


@dataclass(frozen=True)
class Stamped:
    entry_id: int
    sha256: str
    output: Path


@pytest.fixture
def stamped(demo: Path, tmp_path: Path) -> Stamped:
    """One contract stamped by the officer through the stamping service."""
    (tmp_path / "in").mkdir()
    source = simple_pdf(tmp_path / "in" / f"{TITLE}.pdf")
    out = tmp_path / "out"
    out.mkdir()
    module = str(tmp_path / "softhsm-copy.so")
    shutil.copyfile(SOFTHSM_MODULE, module)
    job = StampJob(
        inputs=(source,),
        outputs=outputs_for([source], out),
        seal="合同专用章",
        placement=CoordinatePlacement(-1, 150.0, 240.0),
        category="合同",
        reason="同意",
    )
    with open_workspace(demo, GivenPassphrase(PASSPHRASE)) as opened:
        officer = login_password(opened.db, "张经办", "demo-officer-2026")
        with TokenManager([module], poll_interval=None) as tokens:
            report = stamp_documents(
                opened, officer, job, tokens, FixedPinHandler("unused")
            )
        assert report.all_stamped, report
        (entry,) = search(opened.db, ArchiveFilter(text=TITLE))
    return Stamped(entry.id, entry.sha256, job.outputs[0])


def archive_view(qtbot: QtBot, desk: Desk) -> ArchiveView:
    desk.log_in(*ARCHIVIST)
    assert set(desk.window.role_tabs) == {"archive", "settings"}
    view = desk.window.role_tabs["archive"].views["archive"]
    assert isinstance(view, ArchiveView)
    qtbot.waitUntil(lambda: view.is_loaded, timeout=20_000)
    return view


def drop(view: ArchiveView, path: Path) -> None:
    """Drag a file from the file manager onto the view and let go."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = QPoint(view.width() // 2, view.height() // 2)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    copy = Qt.DropAction.CopyAction
    with warnings.catch_warnings():
        # Qt 6 still builds the enter event from a QPoint; PySide flags it.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(where, copy, mime, buttons, keys)
    QApplication.sendEvent(view, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(view, QDropEvent(QPointF(where), copy, mime, buttons, keys))


def test_archivist_finds_verifies_and_the_retrieval_is_logged(
    qtbot: QtBot, stamped: Stamped, desk: Desk
) -> None:
    view = archive_view(qtbot, desk)

    view.query.setText("办公设备")
    view.search_button.click()
    qtbot.waitUntil(lambda: view.is_loaded, timeout=20_000)
    assert [e.id for e in view.entries] == [stamped.entry_id]
    assert view.table.item(0, 3).text() == TITLE
    assert view.table.item(0, 4).text() == "合同专用章"
    assert view.table.item(0, 5).text() == "张经办"

    with qtbot.waitSignal(view.trail_loaded, timeout=60_000):
        view.select_entry(stamped.entry_id)
    report = view.detail.report
    assert report is not None
    assert report.sha256 == stamped.sha256
    (sig,) = report.signatures
    assert sig.intact
    assert sig.coverage is Coverage.WHOLE_FILE
    assert sig.changes == ()
    assert sig.trust is Trust.TRUSTED
    assert sig.signer is not None
    assert "合同专用章" in sig.signer.name
    # The demo desk answers for revocation with its CAs' CRL files.
    assert sig.revocation is Revocation.GOOD_CRL_FILE
    assert report.verdict is Verdict.VALID
    assert view.detail.verdict.text().startswith("Verdict: valid")
    assert "not yet" in view.detail.evidence_view.toPlainText()

    assert view.detail.retrievals.rowCount() == 1
    assert view.detail.retrievals.item(0, 1).text() == "王档案"
    assert desk.window.opened is not None
    logged = list_log(
        desk.window.opened.db,
        LogFilter(action="archive.retrieve", document_sha256=stamped.sha256),
    )
    assert [e.actor for e in logged] == [desk.window.actor.person_id]  # type: ignore[union-attr]
    assert desk.alerts == []


def test_a_dropped_tampered_pdf_is_shown_invalid(
    qtbot: QtBot, stamped: Stamped, desk: Desk, tmp_path: Path
) -> None:
    view = archive_view(qtbot, desk)
    forged = overlay_content(stamped.output, tmp_path / "forged.pdf")

    with qtbot.waitSignal(view.checked, timeout=60_000) as checked:
        drop(view, forged)

    assert checked.args[0].verdict is Verdict.INVALID
    assert view.detail.verdict.text() == "Verdict: INVALID"
    assert "forged.pdf" in view.detail.heading.text()
    assert view.detail.retrievals.rowCount() == 0

    with qtbot.waitSignal(view.checked, timeout=60_000) as checked:
        drop(view, stamped.output)
    assert checked.args[0].verdict is Verdict.VALID
    assert desk.alerts == []


def test_save_a_copy_writes_the_checked_document(
    qtbot: QtBot, stamped: Stamped, desk: Desk, tmp_path: Path
) -> None:
    view = archive_view(qtbot, desk)
    with qtbot.waitSignal(view.trail_loaded, timeout=60_000):
        view.select_entry(stamped.entry_id)
    target = tmp_path / "copy.pdf"
    view.ask_save_path = lambda _entry: target  # type: ignore[method-assign]

    with qtbot.waitSignal(view.trail_loaded, timeout=30_000):
        view.detail.save_button.click()

    assert target.read_bytes() == stamped.output.read_bytes()
    assert view.detail.retrievals.rowCount() == 2
    assert "copy.pdf" in {view.detail.retrievals.item(r, 2).text() for r in range(2)}


def test_search_without_match_and_a_bad_hash(
    qtbot: QtBot, stamped: Stamped, desk: Desk
) -> None:
    view = archive_view(qtbot, desk)
    view.query.setText("不存在的标题")
    view.search_button.click()
    qtbot.waitUntil(lambda: view.is_loaded, timeout=20_000)
    assert view.entries == []

    view.query.clear()
    view.sha256.setText("not-a-hash")
    view.search_button.click()
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=20_000)
    assert "not a SHA-256" in desk.alerts[0]

    view.sha256.setText(stamped.sha256)
    view.search_button.click()
    qtbot.waitUntil(lambda: view.is_loaded, timeout=20_000)
    assert [e.id for e in view.entries] == [stamped.entry_id]


def test_export_evidence_package_and_its_refusal(
    qtbot: QtBot, stamped: Stamped, desk: Desk, tmp_path: Path
) -> None:
    view = archive_view(qtbot, desk)
    with qtbot.waitSignal(view.trail_loaded, timeout=60_000):
        view.select_entry(stamped.entry_id)

    taken = tmp_path / "taken.zip"
    taken.write_bytes(b"someone else's file")
    view.ask_package_path = lambda _entry: taken  # type: ignore[method-assign]
    view.detail.export_button.click()
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=60_000)
    assert "already exists" in desk.alerts[0]
    assert taken.read_bytes() == b"someone else's file"
    qtbot.waitUntil(view.detail.export_button.isEnabled, timeout=5_000)

    target = tmp_path / "evidence.zip"
    view.ask_package_path = lambda _entry: target  # type: ignore[method-assign]
    with qtbot.waitSignal(view.exported, timeout=120_000):
        view.detail.export_button.click()
    assert zipfile.is_zipfile(target)
    assert "evidence.zip" in view.detail.outcome.text()
    assert len(desk.alerts) == 1
