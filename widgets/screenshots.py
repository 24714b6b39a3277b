"""Screenshots of every role's views, in Chinese and English, for the docs.

Run as ``python -m widgets.screenshots OUTDIR``. It builds the demo workspace
in a temporary folder with passphrase custody (so no keyring is needed), asks
the officer for one approval so that the screens have something pending and
stamps one contract so that the archive has a document, then logs in as each
role on the offscreen platform and saves one PNG per view and language, named
``<view>-<lang>.png``. The archive view is shot with that contract selected
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

from app.admin.approvals import request_approval
from app.admin.auth import login_password
from app.admin.roles import Actor
from app.demo.workspace import PEOPLE, DemoPerson, build_demo_workspace
from app.workspace import GivenPassphrase, OpenWorkspace, open_workspace
from widgets.archive import ArchiveView
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


def _prepare(root: Path) -> None:
    prompt = GivenPassphrase(DEMO_PASSPHRASE)
    build_demo_workspace(root, "passphrase", prompt)
    with open_workspace(root, prompt) as opened:
        officer = login_password(opened.db, "张经办", "demo-officer-2026")
        request_approval(
            opened.db,
            officer,
            "公章",
            "5e" * 32,
            "通知",
            title="关于开展年度安全检查的通知",
            reason="对外发文 / outgoing notice",
        )
        _stamp_contract(opened, officer, root.parent)


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
    root: Path, lang: str, person: DemoPerson, out: Path, done: list[Path]
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
                _shoot_view(window, view, key, saved[-1])
    finally:
        window.close()
    return saved


def _shoot_view(window: _ShotWindow, view: View, key: str, target: Path) -> None:
    window.wait(lambda: view.is_loaded, key)
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
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sealdesk-shots-") as folder:
        root = Path(folder) / "demo"
        _prepare(root)
        for lang in languages:
            for person in PEOPLE:
                saved += _shoot_role(root, lang, person, out, saved)
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
