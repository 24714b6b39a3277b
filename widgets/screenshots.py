"""Screenshots of every role's views, in Chinese and English, for the docs.

Run as ``python -m widgets.screenshots OUTDIR``. It builds the demo workspace
in a temporary folder with passphrase custody (so no keyring is needed), asks
the officer for one approval so that the screens have something pending and
stamps one contract so that the archive has a document, then logs in as each
role on the offscreen platform and saves one PNG per view and language, named
``<view>-<lang>.png``. The approval carries a one-page notice, which the
approver's view previews and the officer's stamping view shows with the seal
snapped onto its 盖章处; the archive view is shot with the contract selected
and verified.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from app.admin.auth import login_password
from app.admin.roles import Actor
from app.demo.workspace import PEOPLE, DemoPerson, build_demo_workspace
from app.workspace import GivenPassphrase, OpenWorkspace, open_workspace
from widgets.archive import ArchiveView
from widgets.i18n import use_language
from widgets.main_window import MainWindow
from widgets.views.audit import AuditView
from widgets.views.base import View

__all__ = ["DEMO_PASSPHRASE", "main", "take_screenshots"]

log = logging.getLogger(__name__)

# A published demo value, like the demo people's passwords.
DEMO_PASSPHRASE = "sealdesk demo passphrase 2026"  # noqa: S105
WINDOW_SIZE = (1280, 760)
TIMEOUT_SECONDS = 60.0
ARCHIVED_TITLE = "关于采购办公设备的合同"


class ScreenshotError(RuntimeError):
    """A screen failed to load; the message says which and why."""


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Run the event loop until ``condition`` holds; results arrive as events."""
    if condition():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: loop.quit() if condition() else None)
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    poll.start()
    limit.start(int(TIMEOUT_SECONDS * 1000))
    loop.exec()
    poll.stop()
    limit.stop()
    if not condition():
        raise ScreenshotError(f"timed out waiting for {what}")


NOTICE_TITLE = "关于开展年度安全检查的通知"


def _notice(path: Path) -> Path:
    """A one-page notice with its 盖章处, drawn with the report's CJK font."""
    from fpdf import FPDF

    from app.verification.report_font import report_font

    face = report_font()
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("cjk", "", str(face.path), collection_font_number=face.index)
    pdf.add_page()
    pdf.set_font("cjk", size=20)
    pdf.cell(0, 20, NOTICE_TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    body = (
        "各处室、直属单位：\n    为切实做好年度安全生产工作，经研究，"
        "决定于十二月开展全面安全检查。请各单位认真组织自查，"
        "并于月底前将自查报告报送办公室。\n    特此通知。"
    )
    pdf.multi_cell(0, 9, body)
    pdf.set_xy(120, 200)
    pdf.cell(60, 10, "示例市人民政府办公室", align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(60, 10, "盖章处", align="C")
    pdf.output(str(path))
    return path


def _prepare(root: Path) -> Path:
    """Build the demo desk; the notice that is waiting for approval."""
    from app.approval_documents import request_with_document

    prompt = GivenPassphrase(DEMO_PASSPHRASE)
    build_demo_workspace(root, "passphrase", prompt)
    notice = _notice(root.parent / f"{NOTICE_TITLE}.pdf")
    with open_workspace(root, prompt) as opened:
        officer = login_password(opened.db, "张经办", "demo-officer-2026")
        request_with_document(
            opened,
            officer,
            "公章",
            notice,
            "通知",
            title=NOTICE_TITLE,
            reason="对外发文 / outgoing notice",
        )
        _stamp_contract(opened, officer, root.parent)
    return notice


def _stamp_contract(opened: OpenWorkspace, officer: Actor, folder: Path) -> None:
    """Stamp one blank contract with 合同专用章, so the archive holds it."""
    import pypdfium2

    from app.admin.tokens import GivenPin, loaded_tokens
    from app.stamping.batch import stamp_documents
    from app.stamping.placement import CoordinatePlacement
    from app.stamping.service import StampJob

    source = folder / f"{ARCHIVED_TITLE}.pdf"
    blank = pypdfium2.PdfDocument.new()
    blank.new_page(595, 842)
    blank.save(source)
    blank.close()
    job = StampJob(
        inputs=(source,),
        outputs=(folder / "stamped" / source.name,),
        seal="合同专用章",
        placement=CoordinatePlacement(-1, 150.0, 240.0),
        category="合同",
        reason="同意",
    )
    job.outputs[0].parent.mkdir()
    # The demo HSM's PIN is kept by the workspace; no one is asked for it.
    with loaded_tokens(opened.db) as tokens:
        report = stamp_documents(opened, officer, job, tokens, GivenPin(""))
    if not report.all_stamped:
        raise ScreenshotError(f"stamping the demo contract failed: {report}")


class _ShotWindow(MainWindow):
    """The main window answering the passphrase and collecting messages."""

    def __init__(self, root: Path, lang: str) -> None:
        super().__init__(root, lang)
        self.alerts: list[str] = []

    def ask_passphrase(self) -> str | None:
        return DEMO_PASSPHRASE

    def alert(self, text: str) -> None:
        self.alerts.append(text)

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        wait_until(lambda: condition() or bool(self.alerts), what)
        if self.alerts:
            raise ScreenshotError(f"{what}: {'; '.join(self.alerts)}")


def _open_window(root: Path, lang: str) -> _ShotWindow:
    window = _ShotWindow(root, lang)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.open_workspace()
    window.wait(lambda: window.login_dialog is not None, "unlock")
    return window


def _save(widget: QWidget, target: Path) -> None:
    QApplication.processEvents()
    if not widget.grab().save(str(target)):
        raise ScreenshotError(f"cannot write {target}")
    log.info("Saved %s", target)


def _shoot_role(
    root: Path,
    lang: str,
    person: DemoPerson,
    out: Path,
    done: list[Path],
    notice: Path,
) -> list[Path]:
    """Log in as ``person`` and save the views not yet in ``done``."""
    name = person.name
    window = _open_window(root, lang)
    saved = []
    try:
        dialog = window.login_dialog
        assert dialog is not None
        window.wait(lambda: dialog.person.count() > 0, "the people list")
        dialog.choose(name)
        if name == PEOPLE[0].name:
            saved.append(out / f"login-{lang}.png")
            _save(dialog, saved[-1])
        dialog.password.setText(person.password)
        dialog.log_in()
        window.wait(lambda: window.actor is not None, "log-in")
        for index, tab in enumerate(window.role_tabs.values(), start=1):
            window.tabs.setCurrentIndex(index)
            for key, view in tab.views.items():
                if (out / f"{key}-{lang}.png") in done:
                    continue
                if isinstance(tab.widget, QTabWidget):
                    tab.widget.setCurrentWidget(view)
                saved.append(out / f"{key}-{lang}.png")
                _shoot_view(window, view, key, saved[-1], notice)
    finally:
        window.close()
    return saved


def _shoot_view(
    window: _ShotWindow, view: View, key: str, target: Path, notice: Path
) -> None:
    from widgets.stamping.view import StampingView
    from widgets.views.approvals import ApprovalsView

    window.wait(lambda: view.is_loaded, key)
    if isinstance(view, ApprovalsView):
        window.wait(lambda: not view.preview.pixmap().isNull(), "the preview")
    if isinstance(view, StampingView):
        view.add_documents([notice])
        window.wait(lambda: view.current is not None, "the notice to open")
        found: list[object] = []
        view.keyword_found.connect(found.append)
        view.keyword_edit.setText("盖章处")
        view.find_keyword()
        window.wait(lambda: bool(found), "the keyword search")
    if isinstance(view, AuditView):
        view.check_button.click()
        window.wait(lambda: not view.busy, "the chain check")
    if isinstance(view, ArchiveView):
        view.select_entry(view.entries[0].id)
        window.wait(
            lambda: view.detail.report is not None and not view.busy,
            "the verification of the archived contract",
        )
    _save(window, target)


def take_screenshots(out: Path, languages: Sequence[str] = ("zh", "en")) -> list[Path]:
    """Build the demo and save every role's views in each language to ``out``."""
    app = QApplication.instance()
    if app is None:
        raise ScreenshotError("no QApplication is running")
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sealdesk-shots-") as folder:
        root = Path(folder) / "demo"
        notice = _prepare(root)
        for lang in languages:
            use_language(app, lang)
            for person in PEOPLE:
                saved += _shoot_role(root, lang, person, out, saved, notice)
    return saved


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else Path("docs/screenshots")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("SealDesk")
    try:
        saved = take_screenshots(out)
    except ScreenshotError as exc:
        log.error("Screenshots failed: %s", exc)
        return 1
    log.info("Saved %d screenshots to %s", len(saved), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
