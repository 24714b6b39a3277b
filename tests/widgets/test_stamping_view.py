"""The officer stamps PDFs on the stamping screen, on the demo workspace.

Real SoftHSM tokens, the real PIN dialog (typed into by the test), real
stamping and verification. The officer confirms with their own token
(UKEY-ZHANG, PIN 123456); the seals themselves sit on the demo HSM whose PIN
comes from key custody.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.admin.approvals import ApprovalStatus, approve
from app.admin.auth import login_password
from app.stamping.keyword import find_text
from app.stamping.placement import MM_TO_PT
from app.stamping.service import Outcome
from app.verification import Revocation, Trust, Verdict
from app.verification.desk import verify_at_desk
from tests.stamping.documents import PageSpec, Text, simple_pdf, write_pdf
from tests.widgets.conftest import Desk
from widgets.stamping import StampingView

pytestmark = [pytest.mark.gui, pytest.mark.hsm]

OFFICER_PIN = "123456"
A4_HEIGHT = 842.0


@pytest.fixture
def officer(qtbot: QtBot, desk: Desk) -> StampingView:
    desk.log_in("张经办", "demo-officer-2026")
    tab = desk.window.role_tabs["officer"]
    assert set(tab.views) == {"stamping", "officer"}
    view = tab.views["stamping"]
    assert isinstance(view, StampingView)
    desk.window.resize(1500, 950)
    desk.window.show()
    desk.window.tabs.setCurrentWidget(tab.widget)
    qtbot.waitExposed(desk.window)
    qtbot.waitUntil(lambda: view.is_loaded, timeout=30_000)
    assert sorted(r.seal.name for r in view.seals) == ["公章", "合同专用章"]
    assert view.token_choice.currentText() == "UKEY-ZHANG"
    assert view.confirm_token.isChecked()
    return view


def open_documents(qtbot: QtBot, view: StampingView, paths: list[Path]) -> None:
    with qtbot.waitSignal(view.page_shown, timeout=20_000):
        view.add_documents(paths)
    qtbot.waitUntil(lambda: len(view.documents) == len(paths), timeout=10_000)


def answer_pin(qtbot: QtBot, view: StampingView, pin: str = OFFICER_PIN) -> None:
    """Type the PIN into the real dialog and press OK."""
    handler = view.pin_handler
    qtbot.waitUntil(
        lambda: handler.dialog is not None and handler.dialog.isVisible(),
        timeout=30_000,
    )
    dialog = handler.dialog
    assert dialog is not None
    assert "UKEY-ZHANG" in "".join(
        w.text() for w in dialog.findChildren(type(dialog.warning))
    )
    qtbot.keyClicks(dialog.pin, pin)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def field_centre_mm(path: Path) -> tuple[int, float, float]:
    """Page (1-based) and centre (mm from the top-left) of the one seal widget."""
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        (sig,) = reader.embedded_regular_signatures
        field = sig.sig_field
        widget = field["/Kids"][0].get_object() if "/Kids" in field else field
        llx, lly, urx, ury = (float(v) for v in widget["/Rect"])
        count = int(reader.root["/Pages"]["/Count"])
        pages = [reader.find_page_for_modification(i)[0].idnum for i in range(count)]
        number = pages.index(widget.raw_get("/P").idnum) + 1
    cx, cy = (llx + urx) / 2, (lly + ury) / 2
    return number, cx / MM_TO_PT, (A4_HEIGHT - cy) / MM_TO_PT


def assert_verifies(view: StampingView, output: Path) -> None:
    """Intact, whole-document, trusted, not revoked (the demo CAs' CRL files)."""
    assert view.opened is not None
    report = verify_at_desk(output, view.opened, online=False)
    (sig,) = report.signatures
    assert sig.intact
    assert sig.trust is Trust.TRUSTED
    assert sig.revocation is Revocation.GOOD_CRL_FILE
    assert report.verdict is Verdict.VALID
    shown = view.verifications[0]
    assert shown.verdict is report.verdict


def stamp_and_answer(qtbot: QtBot, view: StampingView) -> object:
    with qtbot.waitSignal(view.stamping_finished, timeout=60_000) as finished:
        view.stamp_button.click()
        answer_pin(qtbot, view)
    return finished.args[0]


def test_officer_drags_the_seal_and_stamps_there(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    source = simple_pdf(tmp_path / "notice.pdf", count=2)
    open_documents(qtbot, view, [source])
    view.choose_seal("合同专用章")
    view.category.setCurrentText("合同")
    pv = view.page_view
    width_mm, height_mm = pv.seal_size_mm()
    assert width_mm > 20
    assert height_mm > 20

    # True scale: the seal's width on screen is its width in mm at the DPI.
    pv.centerOn(pv.scene_point(105, 150))
    viewport = pv.viewport()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=_pixel(pv, 80, 130))
    assert pv.seal_item is not None
    assert pv.seal_item.isVisible()
    on_screen = pv.mapFromScene(pv.seal_item.sceneBoundingRect()).boundingRect()
    expected_px = width_mm / 25.4 * pv.logicalDpiX() * pv.zoom
    assert abs(on_screen.width() - expected_px) <= 2

    start = _pixel(pv, *view.page_view.seal_centre_mm())  # type: ignore[misc]
    end = _pixel(pv, 125, 175)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    dropped = pv.mapToScene(end)
    x_mm, y_mm = dropped.x() / MM_TO_PT, dropped.y() / MM_TO_PT
    assert view.choice.mode == "position"
    assert view.choice.page == 1
    assert abs(view.choice.x_mm - x_mm) < 0.5
    assert abs(view.choice.y_mm - y_mm) < 0.5
    assert abs(x_mm - 125) < 1
    assert abs(y_mm - 175) < 1

    report = stamp_and_answer(qtbot, view)
    assert report is not None
    (doc,) = report.documents  # type: ignore[attr-defined]
    assert doc.outcome is Outcome.STAMPED, doc.en
    assert doc.output == tmp_path / "notice-stamped.pdf"
    page, cx, cy = field_centre_mm(doc.output)
    assert page == 1
    assert abs(cx - x_mm) <= 1.0
    assert abs(cy - y_mm) <= 1.0
    qtbot.waitUntil(lambda: 0 in view.verifications, timeout=60_000)
    assert_verifies(view, doc.output)
    assert "Stamped" in view.banner.table.item(0, 1).text()
    assert desk.alerts == []

    # Stamping again never overwrites the first copy.
    report = stamp_and_answer(qtbot, view)
    (again,) = report.documents  # type: ignore[attr-defined]
    assert again.output == tmp_path / "notice-stamped-2.pdf"


def _pixel(pv: object, x_mm: float, y_mm: float) -> QPoint:
    point = pv.view_point(x_mm, y_mm)  # type: ignore[attr-defined]
    return QPoint(round(point.x()), round(point.y()))


def test_officer_stamps_on_a_keyword(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    source = write_pdf(
        tmp_path / "contract.pdf",
        [
            PageSpec(texts=[Text(72, 760, ["合同正文"])]),
            PageSpec(texts=[Text(360, 180, ["盖章", "处"])]),
        ],
    )
    (hit,) = find_text(source, "盖章处")
    open_documents(qtbot, view, [source])
    view.choose_seal("合同专用章")
    view.category.setCurrentText("合同")
    view.keyword_edit.setText("盖章处")
    with qtbot.waitSignal(view.keyword_found, timeout=20_000) as found:
        view.find_button.click()
    (spot,) = found.args[0]
    assert spot.page == 1
    hx, hy = hit.centre
    assert abs(spot.x_mm - hx / MM_TO_PT) < 0.01
    assert abs(spot.y_mm - (A4_HEIGHT - hy) / MM_TO_PT) < 0.01
    # The seal snapped onto the hit, on the hit's page.
    assert view.page_index == 1
    centre = view.page_view.seal_centre_mm()
    assert centre is not None
    assert abs(centre[0] - spot.x_mm) < 0.01
    assert abs(centre[1] - spot.y_mm) < 0.01
    assert view.choice.mode == "keyword"

    report = stamp_and_answer(qtbot, view)
    (doc,) = report.documents  # type: ignore[attr-defined]
    assert doc.outcome is Outcome.STAMPED, doc.en
    page, cx, cy = field_centre_mm(doc.output)
    assert page == 2
    assert abs(cx - spot.x_mm) <= 1.0
    assert abs(cy - spot.y_mm) <= 1.0
    qtbot.waitUntil(lambda: 0 in view.verifications, timeout=60_000)
    assert_verifies(view, doc.output)
    assert desk.alerts == []


def test_declining_the_pin_cancels_without_an_error(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    source = simple_pdf(tmp_path / "memo.pdf")
    open_documents(qtbot, view, [source])
    view.choose_seal("合同专用章")
    view.category.setCurrentText("合同")
    view.place_seal(1, 100, 120)
    with qtbot.waitSignal(view.stamping_finished, timeout=60_000):
        view.stamp_button.click()
        qtbot.waitUntil(lambda: view.pin_handler.dialog is not None, timeout=30_000)
        dialog = view.pin_handler.dialog
        assert dialog is not None
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert "Cancelled" in view.banner.summary.text()
    assert not (tmp_path / "memo-stamped.pdf").exists()
    assert desk.alerts == []
    assert view.stamp_button.isEnabled()


def test_a_batch_is_confirmed_then_cancelled_part_way(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    sources = [simple_pdf(tmp_path / f"doc{i}.pdf") for i in range(6)]
    out = tmp_path / "out"
    out.mkdir()
    open_documents(qtbot, view, sources)
    view.choose_seal("合同专用章")
    view.category.setCurrentText("合同")
    view.place_seal(1, 150, 240)
    view.in_folder.setChecked(True)
    view.folder_edit.setText(str(out))

    view.stamp_button.click()
    dialog = view.confirm_dialog
    assert dialog is not None
    assert dialog.table.rowCount() == 6
    assert dialog.table.item(0, 1).text() == str(out / "doc0-stamped.pdf")

    def cancel_after_first(index: int, report: object) -> None:
        view.cancel_button.click()

    view.relay.progressed.connect(cancel_after_first)
    with qtbot.waitSignal(view.stamping_finished, timeout=60_000) as finished:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        answer_pin(qtbot, view)
    report = finished.args[0]
    outcomes = [d.outcome for d in report.documents]
    stamped = outcomes.count(Outcome.STAMPED)
    skipped = outcomes.count(Outcome.NOT_ATTEMPTED)
    assert stamped >= 1
    assert skipped >= 1
    assert stamped + skipped == 6
    assert outcomes == sorted(outcomes, key=lambda o: o is Outcome.NOT_ATTEMPTED)
    assert "cancelled" in (report.stopped_en or "")
    written = sorted(p.name for p in out.iterdir())
    assert written == [f"doc{i}-stamped.pdf" for i in range(stamped)]
    assert not list(tmp_path.rglob("*.part"))
    assert "cancelled" in view.banner.summary.text()
    assert desk.alerts == []


def test_an_official_seal_needs_an_approved_request(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    source = simple_pdf(tmp_path / "notice.pdf")
    open_documents(qtbot, view, [source])
    view.choose_seal("公章")
    assert view.approval_group.isVisible()
    qtbot.waitUntil(
        lambda: "None requested" in view.approval_label.text(), timeout=20_000
    )
    view.category.setCurrentText("通知")
    view.place_seal(1, 150, 240)

    view.stamp_button.click()
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=10_000)
    assert "request approval first" in desk.alerts[-1]

    with qtbot.waitSignal(view.approval_changed, timeout=20_000) as changed:
        view.request_button.click()
    approval = changed.args[0]
    assert approval.status is ApprovalStatus.PENDING
    assert approval.document_sha256 == view.current.sha256  # type: ignore[union-attr]
    assert "Pending" in view.approval_label.text()

    opened = desk.window.opened
    assert opened is not None
    approver = login_password(opened.db, "李审批", "demo-approver-2026")
    approve(opened.db, approver, approval.id, "同意")
    with qtbot.waitSignal(view.approval_changed, timeout=20_000) as changed:
        view.refresh_button.click()
    assert changed.args[0].status is ApprovalStatus.APPROVED
    assert "Approved" in view.approval_label.text()

    report = stamp_and_answer(qtbot, view)
    (doc,) = report.documents  # type: ignore[attr-defined]
    assert doc.outcome is Outcome.STAMPED, doc.en


def test_pdfs_dropped_on_the_view_are_opened(
    qtbot: QtBot, officer: StampingView, tmp_path: Path
) -> None:
    view = officer
    sources = [simple_pdf(tmp_path / "a.pdf"), simple_pdf(tmp_path / "b.pdf", 3)]
    (tmp_path / "notes.txt").write_text("x")
    mime = QMimeData()
    mime.setUrls(
        [QUrl.fromLocalFile(str(p)) for p in [*sources, tmp_path / "notes.txt"]]
    )
    # Qt delivers drop events only during a real drag, which the offscreen
    # platform cannot start; the view's drop handler gets the event directly.
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(view.documents_changed, timeout=20_000):
        view.dropEvent(drop)
    assert [d.path for d in view.documents] == sources
    assert view.thumbnails.count() == 1
    view.document_list.setCurrentRow(1)
    assert view.thumbnails.count() == 3


def test_the_event_loop_keeps_running_during_a_batch_of_fifty(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    folder = tmp_path / "in"
    folder.mkdir()
    sources = [simple_pdf(folder / f"p{i:02}.pdf") for i in range(50)]
    open_documents(qtbot, view, sources)
    view.choose_seal("合同专用章")
    view.category.setCurrentText("合同")
    view.place_seal(1, 150, 240)
    view.stamp_button.click()
    dialog = view.confirm_dialog
    assert dialog is not None

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    with qtbot.waitSignal(view.stamping_finished, timeout=300_000) as finished:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        answer_pin(qtbot, view)
    qtbot.waitUntil(lambda: len(view.verifications) == 50, timeout=300_000)
    timer.stop()
    report = finished.args[0]
    assert report.count(Outcome.STAMPED) == 50
    largest = max(gaps)
    print(f"largest event-loop gap: {largest * 1000:.1f} ms over {len(gaps)} ticks")
    assert largest < 0.100
    assert desk.alerts == []


def test_a_file_that_is_no_pdf_is_named_and_the_rest_open(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"not a pdf at all")
    good = simple_pdf(tmp_path / "good.pdf")
    with qtbot.waitSignal(view.documents_changed, timeout=20_000):
        view.add_documents([bad, good])
    assert [d.path for d in view.documents] == [good]
    (alert,) = desk.alerts
    assert str(bad) in alert
    assert "cannot be opened as a PDF" in alert


def test_a_riding_seal_is_previewed_on_the_right_edges_and_stamped(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    source = simple_pdf(tmp_path / "report.pdf", count=3)
    open_documents(qtbot, view, [source])
    view.choose_seal("合同专用章")
    view.category.setCurrentText("合同")
    view.riding_box.setChecked(True)
    pv = view.page_view
    width_mm, _ = pv.seal_size_mm()
    slices = []
    for index in range(3):
        view.show_page(index)
        item = pv.slice_item
        assert item is not None
        rect = item.sceneBoundingRect()
        assert pv.page_size_pt is not None
        assert abs(rect.right() - pv.page_size_pt[0]) < 0.01
        assert abs(rect.center().y() - pv.page_size_pt[1] / 2) < 0.5
        slices.append(rect.width() / MM_TO_PT)
        assert pv.seal_centre_mm() is None  # the whole seal is not shown
    assert abs(sum(slices) - width_mm) < 0.1
    assert "Riding seal" in view.position_label.text()

    report = stamp_and_answer(qtbot, view)
    (doc,) = report.documents  # type: ignore[attr-defined]
    assert doc.outcome is Outcome.STAMPED, doc.en
    with doc.output.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        (sig,) = reader.embedded_regular_signatures
        assert len(sig.sig_field["/Kids"]) == 3
    assert desk.alerts == []


def test_closing_the_window_while_the_pin_is_asked_does_not_hang(
    qtbot: QtBot, officer: StampingView, tmp_path: Path, desk: Desk
) -> None:
    view = officer
    source = simple_pdf(tmp_path / "memo.pdf")
    open_documents(qtbot, view, [source])
    view.choose_seal("合同专用章")
    view.category.setCurrentText("合同")
    view.place_seal(1, 100, 120)
    view.stamp_button.click()
    qtbot.waitUntil(lambda: view.pin_handler.dialog is not None, timeout=30_000)
    desk.window.close()  # waits for background work: must not wait forever
    assert desk.window.opened is None
    assert not (tmp_path / "memo-stamped.pdf").exists()
